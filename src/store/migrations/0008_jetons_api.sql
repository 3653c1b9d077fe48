-- benkan 0008: personal API tokens. As for sessions, only
-- a BLAKE2 hash of the token is stored; a revoked token is kept for the record.

CREATE TABLE jeton_api (
    id          INTEGER PRIMARY KEY,
    compte_id   INTEGER NOT NULL REFERENCES compte (id),
    empreinte   TEXT NOT NULL UNIQUE CHECK (length(empreinte) = 64),
    nom         TEXT NOT NULL CHECK (trim(nom) <> '' AND length(nom) <= 100),
    cree_le     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    utilise_le  TEXT,
    revoque_le  TEXT
);
CREATE INDEX jeton_api_compte ON jeton_api (compte_id);
