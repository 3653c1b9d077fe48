-- benkan 0009: the open-data downloads (registry CSV, IATI) are kept until the data changes,
-- like the overview; they also read acteurs, conventions and intermédiaires, so changes to
-- those tables move the generation counter too.
CREATE TRIGGER generation_acteur_insert AFTER INSERT ON acteur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_acteur_update AFTER UPDATE ON acteur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_acteur_delete AFTER DELETE ON acteur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_convention_insert AFTER INSERT ON convention
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_convention_update AFTER UPDATE ON convention
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_convention_delete AFTER DELETE ON convention
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_intermediaire_insert AFTER INSERT ON intermediaire
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_intermediaire_update AFTER UPDATE ON intermediaire
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_intermediaire_delete AFTER DELETE ON intermediaire
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
