-- benkan 0012: how many collectivités each country has, kept by triggers, so that the
-- collectivités page does not count the 40,000 units of the référentiel on every view.
CREATE TABLE collectivite_par_pays (
    pays    TEXT PRIMARY KEY,
    nombre  INTEGER NOT NULL CHECK (nombre >= 0)
) WITHOUT ROWID;

INSERT INTO collectivite_par_pays (pays, nombre)
    SELECT pays, count(*) FROM collectivite GROUP BY pays;

CREATE TRIGGER collectivite_par_pays_insert AFTER INSERT ON collectivite
BEGIN
    INSERT OR IGNORE INTO collectivite_par_pays (pays, nombre) VALUES (NEW.pays, 0);
    UPDATE collectivite_par_pays SET nombre = nombre + 1 WHERE pays = NEW.pays;
END;

CREATE TRIGGER collectivite_par_pays_delete AFTER DELETE ON collectivite
BEGIN
    UPDATE collectivite_par_pays SET nombre = nombre - 1 WHERE pays = OLD.pays;
    DELETE FROM collectivite_par_pays WHERE pays = OLD.pays AND nombre = 0;
END;

CREATE TRIGGER collectivite_par_pays_update AFTER UPDATE OF pays ON collectivite
WHEN OLD.pays IS NOT NEW.pays
BEGIN
    UPDATE collectivite_par_pays SET nombre = nombre - 1 WHERE pays = OLD.pays;
    DELETE FROM collectivite_par_pays WHERE pays = OLD.pays AND nombre = 0;
    INSERT OR IGNORE INTO collectivite_par_pays (pays, nombre) VALUES (NEW.pays, 0);
    UPDATE collectivite_par_pays SET nombre = nombre + 1 WHERE pays = NEW.pays;
END;
