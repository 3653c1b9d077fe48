-- benkan 0026: accounts for the associations and NGOs that work with a foreign collectivité
-- (role `acteur`, bound to acteurs, never to collectivités: an association must not declare
-- for a collectivité), and a journal that also records the bourse aux partenariats'
-- demandes and offres, fulfilled or withdrawn.
-- benkan: reconstruction de tables
--
-- SQLite cannot change a CHECK in place: `compte` and `journal` are rebuilt, every column,
-- default, row and id kept. No later migration altered them, nor put a trigger, a view or
-- an index on them other than `journal_objet`, recreated below; the tables that refer to
-- `compte` (compte_collectivite, session, jeton_api, lien_connexion, journal) refer to it
-- by name and find the new one.

CREATE TABLE compte_nouveau (
    id                     INTEGER PRIMARY KEY,
    -- stored in lower case, compared as stored
    email                  TEXT NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%_@_%'),
    -- an Argon2id PHC string, never the password
    hash                   TEXT NOT NULL CHECK (hash LIKE '$argon2id$%'),
    role                   TEXT NOT NULL CHECK (role IN ('admin_national', 'collectivite', 'lecteur', 'acteur')),
    actif                  INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    cree_le                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    mot_de_passe_change_le TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
INSERT INTO compte_nouveau (id, email, hash, role, actif, cree_le, mot_de_passe_change_le)
    SELECT id, email, hash, role, actif, cree_le, mot_de_passe_change_le FROM compte;
DROP TABLE compte;
ALTER TABLE compte_nouveau RENAME TO compte;

-- the acteurs an `acteur` account speaks for
CREATE TABLE compte_acteur (
    compte_id INTEGER NOT NULL REFERENCES compte (id),
    acteur_id INTEGER NOT NULL REFERENCES acteur (id),
    PRIMARY KEY (compte_id, acteur_id)
) WITHOUT ROWID;
CREATE INDEX compte_acteur_acteur ON compte_acteur (acteur_id);

CREATE TABLE journal_nouveau (
    id          INTEGER PRIMARY KEY,
    quand       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    compte_id   INTEGER REFERENCES compte (id),
    objet       TEXT NOT NULL CHECK (objet IN ('partenariat', 'action', 'financement', 'collectivite', 'compte',
                    'bourse_demande', 'bourse_offre')),
    objet_id    INTEGER NOT NULL,
    -- pourvue: a demande or an offre found its partner; retrait: withdrawn by its author
    operation   TEXT NOT NULL CHECK (operation IN ('creation', 'modification', 'validation', 'correction',
                    'archivage', 'restauration', 'pourvue', 'retrait')),
    avant       TEXT CHECK (avant IS NULL OR json_valid(avant)),
    apres       TEXT CHECK (apres IS NULL OR json_valid(apres)),
    commentaire TEXT
);
INSERT INTO journal_nouveau (id, quand, compte_id, objet, objet_id, operation, avant, apres, commentaire)
    SELECT id, quand, compte_id, objet, objet_id, operation, avant, apres, commentaire FROM journal;
DROP TABLE journal;
ALTER TABLE journal_nouveau RENAME TO journal;
CREATE INDEX journal_objet ON journal (objet, objet_id, quand);
