-- benkan 0022: e-mail. The messages to send wait here until the SMTP server took them, so
-- that a failure is retried later (also after a restart) and never holds a page.
-- Messages that carry a sign-in link are never written here: only the hash of their token
-- is stored (`lien_connexion`), the message itself waits in memory.
CREATE TABLE courriel (
    id              INTEGER PRIMARY KEY,
    -- what it is about, for the logs and the metrics
    genre           TEXT NOT NULL CHECK (genre IN ('resume_revue', 'decision', 'rappel_campagne')),
    destinataire    TEXT NOT NULL CHECK (destinataire LIKE '%_@_%'),
    sujet           TEXT NOT NULL,
    texte           TEXT NOT NULL,
    html            TEXT NOT NULL,
    cree_le         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    essais          INTEGER NOT NULL DEFAULT 0 CHECK (essais >= 0),
    prochain_essai  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    derniere_erreur TEXT,
    envoye_le       TEXT,
    -- given up after the last retry (the error is kept)
    abandonne_le    TEXT
);
CREATE INDEX courriel_a_envoyer ON courriel (prochain_essai)
    WHERE envoye_le IS NULL AND abandonne_le IS NULL;

-- single-use links that let a person choose a password: « mot de passe oublié » (an hour)
-- and the first sign-in of an account created by an administrator (three days)
CREATE TABLE lien_connexion (
    jeton_hash TEXT PRIMARY KEY,
    compte_id  INTEGER NOT NULL REFERENCES compte (id),
    motif      TEXT NOT NULL CHECK (motif IN ('oubli', 'premiere_connexion')),
    cree_le    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expire_le  TEXT NOT NULL,
    utilise_le TEXT
) WITHOUT ROWID;
CREATE INDEX lien_connexion_compte ON lien_connexion (compte_id);
