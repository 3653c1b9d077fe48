-- benkan 0003: what the observatory needs to date its figures and convert money.

-- when the authority last confirmed the partenariat (the observatory flags records left
-- unconfirmed for more than a year rather than repeating stale data)
ALTER TABLE partenariat ADD COLUMN confirme_le TEXT
    CHECK (confirme_le IS NULL OR date(confirme_le) IS confirme_le);

-- exchange rates into euros for currencies other than the franc CFA, whose parity is fixed
-- (1 EUR = 655.957 XOF): from `depuis`, one unit of `devise` is worth numerateur/denominateur EUR
CREATE TABLE taux_change (
    devise      TEXT NOT NULL CHECK (devise IN ('USD', 'CAD', 'GBP', 'CHF')),
    depuis      TEXT NOT NULL CHECK (date(depuis) IS depuis),
    numerateur  INTEGER NOT NULL CHECK (typeof(numerateur) = 'integer' AND numerateur > 0),
    denominateur INTEGER NOT NULL CHECK (typeof(denominateur) = 'integer' AND denominateur > 0),
    source      TEXT NOT NULL CHECK (trim(source) <> ''),
    PRIMARY KEY (devise, depuis)
) WITHOUT ROWID;

-- the observatory's scans
CREATE INDEX etape_partenariat_depuis ON etape (partenariat_id, depuis);
CREATE INDEX financement_action_type ON financement (action_id, type, devise, montant, annee);

-- a counter of changes, so that a computed overview can be reused until the data changes
INSERT INTO meta (cle, valeur) VALUES ('generation', '0');
CREATE TRIGGER generation_collectivite_insert AFTER INSERT ON collectivite
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_collectivite_update AFTER UPDATE ON collectivite
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_collectivite_delete AFTER DELETE ON collectivite
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_collectivite_successeur_insert AFTER INSERT ON collectivite_successeur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_collectivite_successeur_update AFTER UPDATE ON collectivite_successeur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_collectivite_successeur_delete AFTER DELETE ON collectivite_successeur
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partenariat_insert AFTER INSERT ON partenariat
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partenariat_update AFTER UPDATE ON partenariat
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partenariat_delete AFTER DELETE ON partenariat
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partie_insert AFTER INSERT ON partie
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partie_update AFTER UPDATE ON partie
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_partie_delete AFTER DELETE ON partie
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_etape_insert AFTER INSERT ON etape
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_etape_update AFTER UPDATE ON etape
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_etape_delete AFTER DELETE ON etape
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_insert AFTER INSERT ON action
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_update AFTER UPDATE ON action
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_delete AFTER DELETE ON action
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_lieu_insert AFTER INSERT ON action_lieu
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_lieu_update AFTER UPDATE ON action_lieu
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_action_lieu_delete AFTER DELETE ON action_lieu
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_financement_insert AFTER INSERT ON financement
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_financement_update AFTER UPDATE ON financement
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_financement_delete AFTER DELETE ON financement
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_taux_change_insert AFTER INSERT ON taux_change
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_taux_change_update AFTER UPDATE ON taux_change
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_taux_change_delete AFTER DELETE ON taux_change
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
