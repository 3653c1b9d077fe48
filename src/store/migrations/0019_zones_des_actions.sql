-- benkan 0019: the zones of the public actions and their figures, kept by triggers in the
-- transaction of every write, so that a région's page and the API's lists read a few index
-- entries instead of computing, counting and summing hundreds of thousands of actions
-- (1.5 s for the Kayes région on a million actions). See ARCHITECTURE.md, « Échelle ».

-- Every collectivité with itself and each unit above it: the hierarchy, closed.
CREATE TABLE collectivite_ancetre (
    collectivite_id INTEGER NOT NULL,
    ancetre_id      INTEGER NOT NULL,
    PRIMARY KEY (collectivite_id, ancetre_id)
) WITHOUT ROWID;
CREATE INDEX collectivite_ancetre_descendants ON collectivite_ancetre (ancetre_id);

INSERT INTO collectivite_ancetre (collectivite_id, ancetre_id)
    WITH RECURSIVE chaine(id, ancetre, profondeur) AS (
        SELECT id, id, 0 FROM collectivite
        UNION SELECT chaine.id, c.parent_id, chaine.profondeur + 1
              FROM chaine JOIN collectivite c ON c.id = chaine.ancetre
              WHERE c.parent_id IS NOT NULL AND chaine.profondeur < 10)
    SELECT DISTINCT id, ancetre FROM chaine;

CREATE TRIGGER collectivite_ancetre_insert AFTER INSERT ON collectivite
BEGIN
    INSERT OR IGNORE INTO collectivite_ancetre (collectivite_id, ancetre_id) VALUES (NEW.id, NEW.id);
    INSERT OR IGNORE INTO collectivite_ancetre (collectivite_id, ancetre_id)
        SELECT NEW.id, ancetre_id FROM collectivite_ancetre WHERE collectivite_id = NEW.parent_id;
END;

CREATE TRIGGER collectivite_ancetre_delete AFTER DELETE ON collectivite
BEGIN
    DELETE FROM collectivite_ancetre WHERE collectivite_id = OLD.id OR ancetre_id = OLD.id;
END;

-- Every zone each public action concerns: a unit where it takes place (a place, a point, a
-- village's commune) or a party of its partenariat, and every unit above those; distinct.
-- The zone 0, which no collectivité has, holds every public action: the whole registry.
-- sans_debut and debut order a zone's actions the way its page shows them, most recent first.
CREATE TABLE action_zone (
    collectivite_id INTEGER NOT NULL,
    action_id       INTEGER NOT NULL,
    sans_debut      INTEGER NOT NULL,
    debut           TEXT,
    PRIMARY KEY (collectivite_id, action_id)
) WITHOUT ROWID;
CREATE INDEX action_zone_action ON action_zone (action_id);
CREATE INDEX action_zone_recentes ON action_zone (collectivite_id, sans_debut, debut DESC, action_id);

-- Inserting an action's id here places it again, from scratch, in the same transaction:
-- every trigger below that changes what an action concerns or whether it is public only
-- queues its id, and this one trigger holds the rule.
CREATE TABLE action_zone_a_refaire (action_id INTEGER PRIMARY KEY);

CREATE TRIGGER action_zone_refaire AFTER INSERT ON action_zone_a_refaire
BEGIN
    DELETE FROM action_zone WHERE action_id = NEW.action_id;
    INSERT INTO action_zone (collectivite_id, action_id, sans_debut, debut)
        SELECT DISTINCT ca.ancetre_id, a.id, a.debut IS NULL, a.debut
        FROM action a
        JOIN partenariat p ON p.id = a.partenariat_id
        JOIN (SELECT collectivite_id FROM action_lieu WHERE action_id = NEW.action_id
              UNION SELECT collectivite_id FROM action_point
                    WHERE action_id = NEW.action_id AND collectivite_id IS NOT NULL
              UNION SELECT lo.collectivite_id FROM action_localite al
                    JOIN localite lo ON lo.id = al.localite_id WHERE al.action_id = NEW.action_id
              UNION SELECT pa.collectivite_id FROM partie pa
                    WHERE pa.partenariat_id = (SELECT partenariat_id FROM action WHERE id = NEW.action_id)) u
        JOIN collectivite_ancetre ca ON ca.collectivite_id = u.collectivite_id
        WHERE a.id = NEW.action_id AND a.validation = 'valide' AND a.archive = 0
          AND p.validation = 'valide' AND p.archive = 0
        UNION
        SELECT 0, a.id, a.debut IS NULL, a.debut
        FROM action a JOIN partenariat p ON p.id = a.partenariat_id
        WHERE a.id = NEW.action_id AND a.validation = 'valide' AND a.archive = 0
          AND p.validation = 'valide' AND p.archive = 0;
    DELETE FROM action_zone_a_refaire WHERE action_id = NEW.action_id;
END;

INSERT INTO action_zone (collectivite_id, action_id, sans_debut, debut)
    SELECT DISTINCT ca.ancetre_id, a.id, a.debut IS NULL, a.debut
    FROM action_publiee a
    JOIN (SELECT action_id, collectivite_id FROM action_lieu
          UNION SELECT action_id, collectivite_id FROM action_point WHERE collectivite_id IS NOT NULL
          UNION SELECT al.action_id, lo.collectivite_id FROM action_localite al
                JOIN localite lo ON lo.id = al.localite_id
          UNION SELECT a.id, pa.collectivite_id FROM action a
                JOIN partie pa ON pa.partenariat_id = a.partenariat_id) u ON u.action_id = a.id
    JOIN collectivite_ancetre ca ON ca.collectivite_id = u.collectivite_id
    UNION ALL
    SELECT 0, a.id, a.debut IS NULL, a.debut FROM action_publiee a;

-- A unit moved under another parent: its whole subtree leaves the old ancestors and takes
-- the new ones; the actions of that subtree are placed again (below).
CREATE TRIGGER collectivite_ancetre_deplacement AFTER UPDATE OF parent_id ON collectivite
WHEN OLD.parent_id IS NOT NEW.parent_id
BEGIN
    DELETE FROM collectivite_ancetre
    WHERE collectivite_id IN (SELECT collectivite_id FROM collectivite_ancetre WHERE ancetre_id = NEW.id)
      AND ancetre_id IN (SELECT ancetre_id FROM collectivite_ancetre
                         WHERE collectivite_id = NEW.id AND ancetre_id <> NEW.id);
    INSERT OR IGNORE INTO collectivite_ancetre (collectivite_id, ancetre_id)
        SELECT d.collectivite_id, a.ancetre_id
        FROM collectivite_ancetre d, collectivite_ancetre a
        WHERE d.ancetre_id = NEW.id AND a.collectivite_id = NEW.parent_id;
    -- every public action of the subtree is in the unit's own zone; the sort reads them all
    -- before the first is placed again, since placing rewrites these very rows
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT action_id FROM action_zone WHERE collectivite_id = NEW.id ORDER BY action_id + 0;
END;

-- What queues an action.
CREATE TRIGGER action_zone_action_insert AFTER INSERT ON action
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.id); END;
CREATE TRIGGER action_zone_action_update
AFTER UPDATE OF validation, archive, debut, partenariat_id ON action
WHEN OLD.validation IS NOT NEW.validation OR OLD.archive IS NOT NEW.archive
  OR OLD.debut IS NOT NEW.debut OR OLD.partenariat_id IS NOT NEW.partenariat_id
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.id); END;
CREATE TRIGGER action_zone_action_delete AFTER DELETE ON action
BEGIN DELETE FROM action_zone WHERE action_id = OLD.id; END;

CREATE TRIGGER action_zone_lieu_insert AFTER INSERT ON action_lieu
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id); END;
CREATE TRIGGER action_zone_lieu_delete AFTER DELETE ON action_lieu
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id); END;
CREATE TRIGGER action_zone_lieu_update AFTER UPDATE ON action_lieu
BEGIN
    INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id);
    INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id);
END;

CREATE TRIGGER action_zone_point_insert AFTER INSERT ON action_point
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id); END;
CREATE TRIGGER action_zone_point_delete AFTER DELETE ON action_point
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id); END;
CREATE TRIGGER action_zone_point_update AFTER UPDATE OF action_id, collectivite_id ON action_point
BEGIN
    INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id);
    INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id);
END;

CREATE TRIGGER action_zone_localite_insert AFTER INSERT ON action_localite
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id); END;
CREATE TRIGGER action_zone_localite_delete AFTER DELETE ON action_localite
BEGIN INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id); END;
CREATE TRIGGER action_zone_localite_update AFTER UPDATE ON action_localite
BEGIN
    INSERT INTO action_zone_a_refaire (action_id) VALUES (OLD.action_id);
    INSERT INTO action_zone_a_refaire (action_id) VALUES (NEW.action_id);
END;
-- a new release of the référentiel moves a village to another commune
CREATE TRIGGER action_zone_village_deplace AFTER UPDATE OF collectivite_id ON localite
WHEN OLD.collectivite_id IS NOT NEW.collectivite_id
BEGIN
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT action_id FROM action_localite WHERE localite_id = NEW.id;
END;

CREATE TRIGGER action_zone_partenariat_update AFTER UPDATE OF validation, archive ON partenariat
WHEN OLD.validation IS NOT NEW.validation OR OLD.archive IS NOT NEW.archive
BEGIN
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT id FROM action WHERE partenariat_id = NEW.id;
END;

-- The figures of each zone: how many public actions, and their money by kind and currency.
CREATE TABLE zone_compteur (
    collectivite_id INTEGER PRIMARY KEY,
    actions         INTEGER NOT NULL CHECK (actions >= 0)
);
INSERT INTO zone_compteur (collectivite_id, actions)
    SELECT collectivite_id, count(*) FROM action_zone GROUP BY collectivite_id;

CREATE TABLE zone_financement (
    collectivite_id INTEGER NOT NULL,
    type            TEXT NOT NULL,
    devise          TEXT NOT NULL,
    montant         INTEGER NOT NULL CHECK (montant >= 0),
    nombre          INTEGER NOT NULL CHECK (nombre >= 0),
    PRIMARY KEY (collectivite_id, type, devise)
) WITHOUT ROWID;
INSERT INTO zone_financement (collectivite_id, type, devise, montant, nombre)
    SELECT z.collectivite_id, f.type, f.devise, sum(f.montant), count(*)
    FROM action_zone z JOIN financement f ON f.action_id = z.action_id
    GROUP BY z.collectivite_id, f.type, f.devise;

CREATE TRIGGER zone_compteur_insert AFTER INSERT ON action_zone
BEGIN
    INSERT OR IGNORE INTO zone_compteur (collectivite_id, actions) VALUES (NEW.collectivite_id, 0);
    UPDATE zone_compteur SET actions = actions + 1 WHERE collectivite_id = NEW.collectivite_id;
    INSERT OR IGNORE INTO zone_financement (collectivite_id, type, devise, montant, nombre)
        SELECT DISTINCT NEW.collectivite_id, type, devise, 0, 0 FROM financement
        WHERE action_id = NEW.action_id;
    UPDATE zone_financement SET
        montant = montant + (SELECT sum(f.montant) FROM financement f WHERE f.action_id = NEW.action_id
                             AND f.type = zone_financement.type AND f.devise = zone_financement.devise),
        nombre = nombre + (SELECT count(*) FROM financement f WHERE f.action_id = NEW.action_id
                           AND f.type = zone_financement.type AND f.devise = zone_financement.devise)
    WHERE collectivite_id = NEW.collectivite_id
      AND (type, devise) IN (SELECT type, devise FROM financement WHERE action_id = NEW.action_id);
END;

CREATE TRIGGER zone_compteur_delete AFTER DELETE ON action_zone
BEGIN
    UPDATE zone_compteur SET actions = actions - 1 WHERE collectivite_id = OLD.collectivite_id;
    DELETE FROM zone_compteur WHERE collectivite_id = OLD.collectivite_id AND actions = 0;
    UPDATE zone_financement SET
        montant = montant - (SELECT sum(f.montant) FROM financement f WHERE f.action_id = OLD.action_id
                             AND f.type = zone_financement.type AND f.devise = zone_financement.devise),
        nombre = nombre - (SELECT count(*) FROM financement f WHERE f.action_id = OLD.action_id
                           AND f.type = zone_financement.type AND f.devise = zone_financement.devise)
    WHERE collectivite_id = OLD.collectivite_id
      AND (type, devise) IN (SELECT type, devise FROM financement WHERE action_id = OLD.action_id);
    DELETE FROM zone_financement WHERE collectivite_id = OLD.collectivite_id AND nombre = 0;
END;

CREATE TRIGGER zone_financement_insert AFTER INSERT ON financement
BEGIN
    INSERT OR IGNORE INTO zone_financement (collectivite_id, type, devise, montant, nombre)
        SELECT collectivite_id, NEW.type, NEW.devise, 0, 0 FROM action_zone WHERE action_id = NEW.action_id;
    UPDATE zone_financement SET montant = montant + NEW.montant, nombre = nombre + 1
    WHERE type = NEW.type AND devise = NEW.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = NEW.action_id);
END;

CREATE TRIGGER zone_financement_delete AFTER DELETE ON financement
BEGIN
    UPDATE zone_financement SET montant = montant - OLD.montant, nombre = nombre - 1
    WHERE type = OLD.type AND devise = OLD.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = OLD.action_id);
    DELETE FROM zone_financement WHERE nombre = 0 AND type = OLD.type AND devise = OLD.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = OLD.action_id);
END;

CREATE TRIGGER zone_financement_update AFTER UPDATE OF action_id, type, devise, montant ON financement
BEGIN
    UPDATE zone_financement SET montant = montant - OLD.montant, nombre = nombre - 1
    WHERE type = OLD.type AND devise = OLD.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = OLD.action_id);
    DELETE FROM zone_financement WHERE nombre = 0 AND type = OLD.type AND devise = OLD.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = OLD.action_id);
    INSERT OR IGNORE INTO zone_financement (collectivite_id, type, devise, montant, nombre)
        SELECT collectivite_id, NEW.type, NEW.devise, 0, 0 FROM action_zone WHERE action_id = NEW.action_id;
    UPDATE zone_financement SET montant = montant + NEW.montant, nombre = nombre + 1
    WHERE type = NEW.type AND devise = NEW.devise
      AND collectivite_id IN (SELECT collectivite_id FROM action_zone WHERE action_id = NEW.action_id);
END;

-- The countries of the foreign parties of each public partenariat, and how many public
-- partenariats each country has: the list's filter by country and its choices, without
-- reading every party on every view. Kept as the zones are: a queued partenariat is
-- written again from scratch.
CREATE TABLE partenariat_pays (
    pays           TEXT NOT NULL,
    partenariat_id INTEGER NOT NULL,
    PRIMARY KEY (pays, partenariat_id)
) WITHOUT ROWID;
CREATE INDEX partenariat_pays_partenariat ON partenariat_pays (partenariat_id);
INSERT INTO partenariat_pays (pays, partenariat_id)
    SELECT DISTINCT c.pays, p.id FROM partenariat_publie p
    JOIN partie pa ON pa.partenariat_id = p.id JOIN collectivite c ON c.id = pa.collectivite_id
    WHERE c.pays <> 'ML';

CREATE TABLE pays_compteur (
    pays          TEXT PRIMARY KEY,
    partenariats  INTEGER NOT NULL CHECK (partenariats >= 0)
) WITHOUT ROWID;
INSERT INTO pays_compteur (pays, partenariats)
    SELECT pays, count(*) FROM partenariat_pays GROUP BY pays;

CREATE TRIGGER pays_compteur_insert AFTER INSERT ON partenariat_pays
BEGIN
    INSERT OR IGNORE INTO pays_compteur (pays, partenariats) VALUES (NEW.pays, 0);
    UPDATE pays_compteur SET partenariats = partenariats + 1 WHERE pays = NEW.pays;
END;
CREATE TRIGGER pays_compteur_delete AFTER DELETE ON partenariat_pays
BEGIN
    UPDATE pays_compteur SET partenariats = partenariats - 1 WHERE pays = OLD.pays;
    DELETE FROM pays_compteur WHERE pays = OLD.pays AND partenariats = 0;
END;

CREATE TABLE partenariat_pays_a_refaire (partenariat_id INTEGER PRIMARY KEY);
CREATE TRIGGER partenariat_pays_refaire AFTER INSERT ON partenariat_pays_a_refaire
BEGIN
    DELETE FROM partenariat_pays WHERE partenariat_id = NEW.partenariat_id;
    INSERT INTO partenariat_pays (pays, partenariat_id)
        SELECT DISTINCT c.pays, p.id FROM partenariat p
        JOIN partie pa ON pa.partenariat_id = p.id JOIN collectivite c ON c.id = pa.collectivite_id
        WHERE p.id = NEW.partenariat_id AND p.validation = 'valide' AND p.archive = 0
          AND c.pays <> 'ML';
    DELETE FROM partenariat_pays_a_refaire WHERE partenariat_id = NEW.partenariat_id;
END;

CREATE TRIGGER partenariat_pays_partenariat_update AFTER UPDATE OF validation, archive ON partenariat
WHEN OLD.validation IS NOT NEW.validation OR OLD.archive IS NOT NEW.archive
BEGIN INSERT INTO partenariat_pays_a_refaire (partenariat_id) VALUES (NEW.id); END;
CREATE TRIGGER partenariat_pays_partenariat_delete AFTER DELETE ON partenariat
BEGIN DELETE FROM partenariat_pays WHERE partenariat_id = OLD.id; END;
CREATE TRIGGER partenariat_pays_collectivite_update AFTER UPDATE OF pays ON collectivite
WHEN OLD.pays IS NOT NEW.pays
BEGIN
    INSERT INTO partenariat_pays_a_refaire (partenariat_id)
        SELECT partenariat_id FROM partie WHERE collectivite_id = NEW.id;
END;

-- A party joins, leaves or changes: its partenariat's countries and all its actions' zones
-- are written again.
CREATE TRIGGER partie_insert_a_refaire AFTER INSERT ON partie
BEGIN
    INSERT INTO partenariat_pays_a_refaire (partenariat_id) VALUES (NEW.partenariat_id);
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT id FROM action WHERE partenariat_id = NEW.partenariat_id;
END;
CREATE TRIGGER partie_delete_a_refaire AFTER DELETE ON partie
BEGIN
    INSERT INTO partenariat_pays_a_refaire (partenariat_id) VALUES (OLD.partenariat_id);
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT id FROM action WHERE partenariat_id = OLD.partenariat_id;
END;
CREATE TRIGGER partie_update_a_refaire AFTER UPDATE ON partie
BEGIN
    INSERT INTO partenariat_pays_a_refaire (partenariat_id) VALUES (OLD.partenariat_id);
    INSERT INTO partenariat_pays_a_refaire (partenariat_id) VALUES (NEW.partenariat_id);
    INSERT INTO action_zone_a_refaire (action_id)
        SELECT id FROM action WHERE partenariat_id IN (OLD.partenariat_id, NEW.partenariat_id);
END;
