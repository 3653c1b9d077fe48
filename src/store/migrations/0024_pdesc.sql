-- benkan 0024: each Malian collectivité plans its development in a PDESC (programme de
-- développement économique, social et culturel, about five years); cooperation actions are
-- meant to serve its objectives (issue 15). One PDESC per collectivité here — the one in
-- force, replaced when the next is adopted; an action cites at most one objective.
CREATE TABLE pdesc (
    id              INTEGER PRIMARY KEY,
    collectivite_id INTEGER NOT NULL UNIQUE REFERENCES collectivite (id),
    debut           INTEGER NOT NULL CHECK (typeof(debut) = 'integer' AND debut BETWEEN 1990 AND 2100),
    fin             INTEGER NOT NULL CHECK (typeof(fin) = 'integer' AND fin BETWEEN debut AND debut + 10),
    titre           TEXT NOT NULL CHECK (length(trim(titre)) BETWEEN 1 AND 300),
    reference       TEXT CHECK (reference IS NULL OR length(reference) <= 500),
    modifie_le      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE pdesc_objectif (
    id       INTEGER PRIMARY KEY,
    pdesc_id INTEGER NOT NULL REFERENCES pdesc (id) ON DELETE CASCADE,
    rang     INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    libelle  TEXT NOT NULL CHECK (length(trim(libelle)) BETWEEN 1 AND 300),
    UNIQUE (pdesc_id, libelle)
);

CREATE TABLE action_objectif (
    action_id   INTEGER PRIMARY KEY REFERENCES action (id) ON DELETE CASCADE,
    objectif_id INTEGER NOT NULL REFERENCES pdesc_objectif (id)
);
CREATE INDEX action_objectif_objectif ON action_objectif (objectif_id);

-- the public pages show them: their kept answers move with them
CREATE TRIGGER generation_pdesc_insert AFTER INSERT ON pdesc
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_pdesc_update AFTER UPDATE ON pdesc
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_pdesc_delete AFTER DELETE ON pdesc
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_pdesc_objectif_insert AFTER INSERT ON pdesc_objectif
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_pdesc_objectif_update AFTER UPDATE ON pdesc_objectif
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_pdesc_objectif_delete AFTER DELETE ON pdesc_objectif
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_objectif_insert AFTER INSERT ON action_objectif
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_objectif_update AFTER UPDATE ON action_objectif
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_objectif_delete AFTER DELETE ON action_objectif
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
