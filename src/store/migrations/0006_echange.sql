-- benkan 0006: stable identifiers for the exchange files (CSV import and export).

-- Every record that a CSV file can name carries a reference that stays the same from one
-- database to another: an export re-imported elsewhere finds its records again, and a
-- second import of the same file changes nothing. Référentiel units already have one
-- (`cle_referentiel`); the units created on demand get theirs here.
ALTER TABLE collectivite ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');
ALTER TABLE acteur ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');
ALTER TABLE partenariat ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');
ALTER TABLE convention ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');
ALTER TABLE action ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');
ALTER TABLE financement ADD COLUMN reference TEXT CHECK (reference IS NULL OR trim(reference) <> '');

UPDATE collectivite SET reference = 'COLL-' || lower(hex(randomblob(6))) WHERE cle_referentiel IS NULL;
UPDATE acteur SET reference = 'ORG-' || lower(hex(randomblob(6)));
UPDATE partenariat SET reference = 'PART-' || lower(hex(randomblob(6)));
UPDATE convention SET reference = 'CONV-' || lower(hex(randomblob(6)));
UPDATE action SET reference = 'ACT-' || lower(hex(randomblob(6)));
UPDATE financement SET reference = 'FIN-' || lower(hex(randomblob(6)));

CREATE UNIQUE INDEX collectivite_reference ON collectivite (reference);
CREATE UNIQUE INDEX acteur_reference ON acteur (reference);
CREATE UNIQUE INDEX partenariat_reference ON partenariat (reference);
CREATE UNIQUE INDEX convention_reference ON convention (reference);
CREATE UNIQUE INDEX action_reference ON action (reference);
CREATE UNIQUE INDEX financement_reference ON financement (reference);

-- a record created without a reference (by a form, the demonstration, the référentiel's
-- neighbours) gets a random one at once
CREATE TRIGGER collectivite_reference_auto AFTER INSERT ON collectivite
WHEN NEW.reference IS NULL AND NEW.cle_referentiel IS NULL
BEGIN UPDATE collectivite SET reference = 'COLL-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
CREATE TRIGGER acteur_reference_auto AFTER INSERT ON acteur WHEN NEW.reference IS NULL
BEGIN UPDATE acteur SET reference = 'ORG-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
CREATE TRIGGER partenariat_reference_auto AFTER INSERT ON partenariat WHEN NEW.reference IS NULL
BEGIN UPDATE partenariat SET reference = 'PART-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
CREATE TRIGGER convention_reference_auto AFTER INSERT ON convention WHEN NEW.reference IS NULL
BEGIN UPDATE convention SET reference = 'CONV-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
CREATE TRIGGER action_reference_auto AFTER INSERT ON action WHEN NEW.reference IS NULL
BEGIN UPDATE action SET reference = 'ACT-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
CREATE TRIGGER financement_reference_auto AFTER INSERT ON financement WHEN NEW.reference IS NULL
BEGIN UPDATE financement SET reference = 'FIN-' || lower(hex(randomblob(6))) WHERE id = NEW.id; END;
