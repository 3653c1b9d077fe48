-- benkan 0021: the update triggers of 0013, 0015 and 0016 asked
--   EXISTS (SELECT 1 FROM action WHERE id IN (OLD.action_id, NEW.action_id) AND validation = 'valide').
-- On a base without statistics (ANALYZE never ran: every base benkan creates) SQLite planned it
-- as a walk of the index of validated actions rather than two primary-key lookups, so each
-- update of a financement (every insert updates its `reference`, 0006) read every validated
-- action: an import or a generation grew with the square of the registry. Two lookups by
-- primary key say the same thing and are planned the same way with or without statistics.

DROP TRIGGER generation_action_lieu_update;
CREATE TRIGGER generation_action_lieu_update AFTER UPDATE ON action_lieu
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

DROP TRIGGER generation_financement_update;
CREATE TRIGGER generation_financement_update AFTER UPDATE ON financement
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

DROP TRIGGER generation_action_localite_update;
CREATE TRIGGER generation_action_localite_update AFTER UPDATE ON action_localite
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

DROP TRIGGER generation_action_point_update;
CREATE TRIGGER generation_action_point_update AFTER UPDATE ON action_point
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
