-- benkan 0007: « autres interventions », the aid activities published in IATI for Mali that
-- are not decentralized cooperation, imported by `benkan import iati` and kept as published.

CREATE TABLE intervention (
    id                 INTEGER PRIMARY KEY,
    -- the key of a re-import: an activity is updated, never duplicated
    identifiant_iati   TEXT NOT NULL UNIQUE CHECK (length(trim(identifiant_iati)) > 0),
    version_iati       TEXT NOT NULL CHECK (version_iati IN ('2.01', '2.02', '2.03')),
    derniere_maj_iati  TEXT,
    titre              TEXT,
    titre_langue       TEXT,
    description        TEXT,
    description_langue TEXT,
    editeur_ref        TEXT,
    editeur_nom        TEXT,
    editeur_type       TEXT,
    -- IATI ActivityStatus code
    statut             TEXT,
    debut_prevu        TEXT,
    debut_reel         TEXT,
    fin_prevue         TEXT,
    fin_reelle         TEXT,
    pourcentage_mali   TEXT,
    -- where it comes from: the file's name and when it was read
    fichier            TEXT NOT NULL,
    importe_le         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE intervention_organisation (
    intervention_id INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    rang            INTEGER NOT NULL,
    -- IATI OrganisationRole and OrganisationType codes
    role            TEXT,
    ref             TEXT,
    nom             TEXT,
    type            TEXT,
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;

CREATE TABLE intervention_secteur (
    intervention_id INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    rang            INTEGER NOT NULL,
    vocabulaire     TEXT NOT NULL,
    code            TEXT NOT NULL,
    pourcentage     TEXT,
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;

CREATE TABLE intervention_transaction (
    intervention_id  INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    rang             INTEGER NOT NULL,
    -- IATI TransactionType code
    type             TEXT NOT NULL,
    date             TEXT,
    -- exact, in the currency's minor units; negative for reimbursements and corrections
    valeur           INTEGER NOT NULL,
    devise           TEXT NOT NULL CHECK (length(devise) = 3 AND devise = upper(devise)),
    date_valeur      TEXT,
    fournisseur      TEXT,
    beneficiaire     TEXT,
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;

-- the places as published; collectivite_id only when the name designates one Malian unit
CREATE TABLE intervention_lieu (
    intervention_id    INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    rang               INTEGER NOT NULL,
    nom                TEXT NOT NULL,
    code_administratif TEXT,
    collectivite_id    INTEGER REFERENCES collectivite (id),
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;
CREATE INDEX intervention_lieu_collectivite ON intervention_lieu (collectivite_id)
    WHERE collectivite_id IS NOT NULL;
