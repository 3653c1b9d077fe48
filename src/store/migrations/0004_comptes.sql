-- benkan 0004: accounts, sessions and sign-in throttling for the contributors' space.

CREATE TABLE compte (
    id                     INTEGER PRIMARY KEY,
    -- stored in lower case, compared as stored
    email                  TEXT NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%_@_%'),
    -- an Argon2id PHC string, never the password
    hash                   TEXT NOT NULL CHECK (hash LIKE '$argon2id$%'),
    role                   TEXT NOT NULL CHECK (role IN ('admin_national', 'collectivite', 'lecteur')),
    actif                  INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    cree_le                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    mot_de_passe_change_le TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- the collectivités a `collectivite` account speaks for
CREATE TABLE compte_collectivite (
    compte_id       INTEGER NOT NULL REFERENCES compte (id),
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (compte_id, collectivite_id)
) WITHOUT ROWID;

-- server-side sessions; the cookie carries a random token whose hash only is stored
CREATE TABLE session (
    jeton_hash TEXT PRIMARY KEY,
    compte_id  INTEGER NOT NULL REFERENCES compte (id),
    csrf       TEXT NOT NULL CHECK (length(csrf) >= 32),
    cree_le    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    vu_le      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) WITHOUT ROWID;
CREATE INDEX session_compte ON session (compte_id);

-- failed sign-ins, by e-mail and by address, to slow down and then refuse guessing
CREATE TABLE echec_connexion (
    cle   TEXT NOT NULL,
    quand TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX echec_connexion_cle ON echec_connexion (cle, quand);
