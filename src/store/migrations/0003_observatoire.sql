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
