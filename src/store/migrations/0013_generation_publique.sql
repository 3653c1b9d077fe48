-- benkan 0013: the generation counter — which tells the site that its overviews and
-- open-data files are out of date — moves only when an action that the public sees (or
-- saw) changes, with its places and money. Actions under review are invisible to both, and
-- a contributor declaring them at a steady rate used to make every visitor of the home page
-- wait for a new overview (issue 10, the 48 readers + 16 writers run).
DROP TRIGGER generation_action_insert;
DROP TRIGGER generation_action_update;
DROP TRIGGER generation_action_delete;
DROP TRIGGER generation_action_lieu_insert;
DROP TRIGGER generation_action_lieu_update;
DROP TRIGGER generation_action_lieu_delete;
DROP TRIGGER generation_financement_insert;
DROP TRIGGER generation_financement_update;
DROP TRIGGER generation_financement_delete;

CREATE TRIGGER generation_action_insert AFTER INSERT ON action
WHEN NEW.validation = 'valide'
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_update AFTER UPDATE ON action
WHEN OLD.validation = 'valide' OR NEW.validation = 'valide'
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_delete AFTER DELETE ON action
WHEN OLD.validation = 'valide'
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

CREATE TRIGGER generation_action_lieu_insert AFTER INSERT ON action_lieu
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_lieu_update AFTER UPDATE ON action_lieu
WHEN EXISTS (SELECT 1 FROM action WHERE id IN (OLD.action_id, NEW.action_id) AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_lieu_delete AFTER DELETE ON action_lieu
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

CREATE TRIGGER generation_financement_insert AFTER INSERT ON financement
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_financement_update AFTER UPDATE ON financement
WHEN EXISTS (SELECT 1 FROM action WHERE id IN (OLD.action_id, NEW.action_id) AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_financement_delete AFTER DELETE ON financement
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
