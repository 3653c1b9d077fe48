-- benkan 0002: the shipped référentiel of Malian and French collectivités.

-- units loaded from the shipped reference data carry a stable key, so that a later release
-- can update them in place without touching what users created
ALTER TABLE collectivite ADD COLUMN cle_referentiel TEXT;
ALTER TABLE collectivite ADD COLUMN population INTEGER
    CHECK (population IS NULL OR (typeof(population) = 'integer' AND population >= 0));
CREATE UNIQUE INDEX collectivite_cle_referentiel ON collectivite (cle_referentiel);

-- a commune déléguée often keeps the code of its commune nouvelle: the label tells them apart
DROP INDEX collectivite_code_actuel;
CREATE UNIQUE INDEX collectivite_code_actuel ON collectivite (pays, niveau, code, coalesce(libelle_niveau, ''))
    WHERE code IS NOT NULL AND valide_au IS NULL;
CREATE INDEX collectivite_code ON collectivite (code);

-- former official codes (INSEE `anciensCodes`)
CREATE TABLE collectivite_ancien_code (
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    code            TEXT NOT NULL CHECK (trim(code) <> ''),
    PRIMARY KEY (collectivite_id, code)
) WITHOUT ROWID;
CREATE INDEX collectivite_ancien_code_code ON collectivite_ancien_code (code);

-- former names that lead to a current unit, each with its source
CREATE TABLE collectivite_ancien_nom (
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    nom             TEXT NOT NULL CHECK (trim(nom) <> ''),
    valide_jusqu_au TEXT CHECK (valide_jusqu_au IS NULL OR date(valide_jusqu_au) IS valide_jusqu_au),
    source          TEXT NOT NULL CHECK (trim(source) <> ''),
    PRIMARY KEY (collectivite_id, nom)
) WITHOUT ROWID;

-- the member communes of an intercommunalité
CREATE TABLE epci_membre (
    epci_id    INTEGER NOT NULL REFERENCES collectivite (id),
    commune_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (epci_id, commune_id)
) WITHOUT ROWID;
CREATE INDEX epci_membre_commune ON epci_membre (commune_id);

-- small facts about the database itself, such as the version of the référentiel loaded
CREATE TABLE meta (
    cle    TEXT PRIMARY KEY,
    valeur TEXT NOT NULL
) WITHOUT ROWID;
