-- benkan 0005: what authorities declare waits for a national administrator's validation,
-- is archived rather than deleted, and every change is kept in a journal.

-- soumis: declared, waiting; valide: public; a_corriger: sent back with a comment
ALTER TABLE partenariat ADD COLUMN validation TEXT NOT NULL DEFAULT 'valide'
    CHECK (validation IN ('soumis', 'valide', 'a_corriger'));
ALTER TABLE partenariat ADD COLUMN commentaire_validation TEXT;
ALTER TABLE partenariat ADD COLUMN archive INTEGER NOT NULL DEFAULT 0 CHECK (archive IN (0, 1));
ALTER TABLE action ADD COLUMN validation TEXT NOT NULL DEFAULT 'valide'
    CHECK (validation IN ('soumis', 'valide', 'a_corriger'));
ALTER TABLE action ADD COLUMN commentaire_validation TEXT;
ALTER TABLE action ADD COLUMN archive INTEGER NOT NULL DEFAULT 0 CHECK (archive IN (0, 1));
CREATE INDEX partenariat_validation ON partenariat (validation, archive);
CREATE INDEX action_validation ON action (validation, archive);

-- what the public pages, the open data and the observatory show
CREATE VIEW partenariat_publie AS
    SELECT * FROM partenariat WHERE validation = 'valide' AND archive = 0;
CREATE VIEW action_publiee AS
    SELECT a.* FROM action a JOIN partenariat_publie p ON p.id = a.partenariat_id
    WHERE a.validation = 'valide' AND a.archive = 0;

-- every change: who, when, what, the values before and after (JSON)
CREATE TABLE journal (
    id          INTEGER PRIMARY KEY,
    quand       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    compte_id   INTEGER REFERENCES compte (id),
    objet       TEXT NOT NULL CHECK (objet IN ('partenariat', 'action', 'financement', 'collectivite', 'compte')),
    objet_id    INTEGER NOT NULL,
    operation   TEXT NOT NULL CHECK (operation IN ('creation', 'modification', 'validation', 'correction',
                    'archivage', 'restauration')),
    avant       TEXT CHECK (avant IS NULL OR json_valid(avant)),
    apres       TEXT CHECK (apres IS NULL OR json_valid(apres)),
    commentaire TEXT
);
CREATE INDEX journal_objet ON journal (objet, objet_id, quand);
