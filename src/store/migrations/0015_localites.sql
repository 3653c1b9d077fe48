-- benkan 0015: the localités of Mali (issue 11) — the 18,769 villages, hamlets and quarters
-- of the COD gazetteer, loaded with the référentiel. A localité is not a collectivité
-- territoriale (no council, no partenariat, no level of its own): it gets its own table, tied
-- to the collectivité it lies in, and an action may take place in it.

CREATE TABLE localite (
    id              INTEGER PRIMARY KEY,
    -- the COD P-code, « ML » and nine digits: most often the commune's (« ML020530 ») and
    -- three more; a chef-lieu of cercle or région has its own (« ML010000000 », Kayes)
    pcode           TEXT NOT NULL UNIQUE
        CHECK (pcode GLOB 'ML[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    nom             TEXT NOT NULL CHECK (length(trim(nom)) > 0),
    -- its commune; for the villages of the three COD communes that benkan does not have
    -- (data/carte/decisions.csv), the cercle around them, as for a point that falls there
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    -- WGS 84 degrees
    longitude       REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    latitude        REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    source          TEXT NOT NULL
);
CREATE INDEX localite_collectivite ON localite (collectivite_id);

-- a localité lies in a Malian commune or cercle, nothing else
CREATE TRIGGER localite_dans_commune_insert BEFORE INSERT ON localite
WHEN NOT EXISTS (SELECT 1 FROM collectivite WHERE id = NEW.collectivite_id
                 AND pays = 'ML' AND niveau IN ('commune', 'cercle'))
BEGIN SELECT RAISE(ABORT, 'une localité est dans une commune ou un cercle du Mali'); END;
CREATE TRIGGER localite_dans_commune_update BEFORE UPDATE OF collectivite_id ON localite
WHEN NOT EXISTS (SELECT 1 FROM collectivite WHERE id = NEW.collectivite_id
                 AND pays = 'ML' AND niveau IN ('commune', 'cercle'))
BEGIN SELECT RAISE(ABORT, 'une localité est dans une commune ou un cercle du Mali'); END;

-- the localités where an action takes place (beside action_lieu, its collectivités)
CREATE TABLE action_localite (
    action_id   INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    localite_id INTEGER NOT NULL REFERENCES localite (id),
    PRIMARY KEY (action_id, localite_id)
) WITHOUT ROWID;
CREATE INDEX action_localite_localite ON action_localite (localite_id);

-- a public action's places count in the overview: as for action_lieu (0013)
CREATE TRIGGER generation_action_localite_insert AFTER INSERT ON action_localite
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_localite_update AFTER UPDATE ON action_localite
WHEN EXISTS (SELECT 1 FROM action WHERE id IN (OLD.action_id, NEW.action_id) AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_localite_delete AFTER DELETE ON action_localite
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
