-- benkan 0016: an action may carry points (issue 11, « Points »): the coordinates of a well,
-- a school, a market, typed by its authors in WGS 84 degrees (six decimals at most). Each is
-- attached when written to the unit whose polygon holds it on the map — its commune, or its
-- cercle where the map's commune matches no benkan unit — or to nothing outside Mali (the
-- point is kept, and the page says so). The map is compiled into the binary, so the link is
-- stored: the overview counts a point's unit as it counts a place (store::apercu::lieux).
CREATE TABLE action_point (
    action_id       INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    -- its order in the form or the file, from 0; at most 50 points (model::POINTS_MAX)
    rang            INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang BETWEEN 0 AND 49),
    latitude        REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    -- one line; « | » separates points in the exchange files
    libelle         TEXT CHECK (libelle IS NULL OR (length(trim(libelle)) > 0
                        AND instr(libelle, '|') = 0 AND instr(libelle, char(10)) = 0
                        AND instr(libelle, char(13)) = 0)),
    collectivite_id INTEGER REFERENCES collectivite (id),
    PRIMARY KEY (action_id, rang)
) WITHOUT ROWID;
CREATE INDEX action_point_collectivite ON action_point (collectivite_id);

-- like the places (0013): the public figures move when a public action's points do
CREATE TRIGGER generation_action_point_insert AFTER INSERT ON action_point
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_point_update AFTER UPDATE ON action_point
WHEN EXISTS (SELECT 1 FROM action WHERE id IN (OLD.action_id, NEW.action_id) AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_point_delete AFTER DELETE ON action_point
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
