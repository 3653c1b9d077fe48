-- benkan 0001: the domain model of decentralized cooperation.
-- Every closed vocabulary mirrors an enum of src/model; a test checks they agree.

CREATE TABLE collectivite (
    id             INTEGER PRIMARY KEY,
    pays           TEXT NOT NULL CHECK (pays GLOB '[A-Z][A-Z]'),
    niveau         TEXT NOT NULL CHECK (niveau IN ('region', 'district', 'cercle', 'commune',
                       'departement', 'epci', 'metropole', 'niveau_1', 'niveau_2', 'niveau_3')),
    libelle_niveau TEXT CHECK (libelle_niveau IS NULL OR trim(libelle_niveau) <> ''),
    code           TEXT CHECK (code IS NULL OR trim(code) <> ''),
    nom            TEXT NOT NULL CHECK (trim(nom) <> ''),
    -- lower case, no accents, no punctuation: what the search box compares against
    nom_normalise  TEXT NOT NULL,
    parent_id      INTEGER REFERENCES collectivite (id) CHECK (parent_id <> id),
    valide_du      TEXT CHECK (valide_du IS NULL OR date(valide_du) IS valide_du),
    valide_au      TEXT CHECK (valide_au IS NULL OR date(valide_au) IS valide_au),
    source         TEXT,
    CHECK (valide_du IS NULL OR valide_au IS NULL OR valide_au >= valide_du),
    -- Mali and France have named levels; other countries numbered ones
    CHECK (CASE pays
               WHEN 'ML' THEN niveau IN ('region', 'district', 'cercle', 'commune')
               WHEN 'FR' THEN niveau IN ('region', 'departement', 'commune', 'epci', 'metropole')
               ELSE niveau IN ('niveau_1', 'niveau_2', 'niveau_3')
           END)
);
CREATE INDEX collectivite_parent ON collectivite (parent_id);
CREATE INDEX collectivite_nom ON collectivite (nom_normalise);
-- an official code names one current unit; a former unit may have lent its code to its successor
CREATE UNIQUE INDEX collectivite_code_actuel ON collectivite (pays, niveau, code)
    WHERE code IS NOT NULL AND valide_au IS NULL;

-- territorial reforms: merged, split and renamed units point to what replaced them
CREATE TABLE collectivite_successeur (
    predecesseur_id INTEGER NOT NULL REFERENCES collectivite (id),
    successeur_id   INTEGER NOT NULL REFERENCES collectivite (id),
    date_effet      TEXT NOT NULL CHECK (date(date_effet) IS date_effet),
    PRIMARY KEY (predecesseur_id, successeur_id),
    CHECK (predecesseur_id <> successeur_id)
) WITHOUT ROWID;
CREATE INDEX collectivite_successeur_inverse ON collectivite_successeur (successeur_id);

CREATE TABLE acteur (
    id                INTEGER PRIMARY KEY,
    nom               TEXT NOT NULL CHECK (trim(nom) <> ''),
    -- IATI OrganisationType
    type_organisation TEXT NOT NULL CHECK (type_organisation IN ('10', '11', '15', '21', '22', '23',
                          '24', '30', '40', '60', '70', '71', '72', '73', '80', '90')),
    identifiant_iati  TEXT UNIQUE CHECK (identifiant_iati IS NULL OR trim(identifiant_iati) <> ''),
    pays              TEXT CHECK (pays IS NULL OR pays GLOB '[A-Z][A-Z]'),
    collectivite_id   INTEGER UNIQUE REFERENCES collectivite (id)
);

CREATE TABLE partenariat (
    id            INTEGER PRIMARY KEY,
    titre         TEXT NOT NULL CHECK (trim(titre) <> ''),
    titre_tri     TEXT NOT NULL, -- the normalised title, for sorting and searching
    description   TEXT,
    statut        TEXT NOT NULL CHECK (statut IN ('actif', 'en_veille', 'suspendu', 'termine')),
    source        TEXT,
    demonstration INTEGER NOT NULL DEFAULT 0 CHECK (demonstration IN (0, 1)),
    cree_le       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modifie_le    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX partenariat_modifie ON partenariat (modifie_le);
CREATE INDEX partenariat_titre ON partenariat (titre_tri);

CREATE TABLE partie (
    partenariat_id  INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (partenariat_id, collectivite_id)
) WITHOUT ROWID;
CREATE INDEX partie_collectivite ON partie (collectivite_id);

-- A partenariat keeps at least one Malian and one foreign party. The store inserts the
-- partenariat and its parties in one transaction after checking them; these triggers keep
-- a later change from removing a whole side.
CREATE TRIGGER partie_garde_les_deux_cotes_suppression AFTER DELETE ON partie
WHEN EXISTS (SELECT 1 FROM partenariat WHERE id = OLD.partenariat_id)
 AND (NOT EXISTS (SELECT 1 FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
                  WHERE p.partenariat_id = OLD.partenariat_id AND c.pays = 'ML')
   OR NOT EXISTS (SELECT 1 FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
                  WHERE p.partenariat_id = OLD.partenariat_id AND c.pays <> 'ML'))
BEGIN
    SELECT RAISE(ABORT, 'un partenariat garde au moins une partie malienne et une partie étrangère');
END;
CREATE TRIGGER partie_garde_les_deux_cotes_modification AFTER UPDATE ON partie
WHEN NOT EXISTS (SELECT 1 FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
                 WHERE p.partenariat_id = OLD.partenariat_id AND c.pays = 'ML')
  OR NOT EXISTS (SELECT 1 FROM partie p JOIN collectivite c ON c.id = p.collectivite_id
                 WHERE p.partenariat_id = OLD.partenariat_id AND c.pays <> 'ML')
BEGIN
    SELECT RAISE(ABORT, 'un partenariat garde au moins une partie malienne et une partie étrangère');
END;

-- the stages of a relation, in order: amitie (1) → jumelage_culturel (2)
-- → jumelage_cooperation (3) → convention_partenariat (4)
CREATE TABLE etape (
    id             INTEGER PRIMARY KEY,
    partenariat_id INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    etape          TEXT NOT NULL CHECK (etape IN ('amitie', 'jumelage_culturel',
                       'jumelage_cooperation', 'convention_partenariat')),
    rang           INTEGER NOT NULL GENERATED ALWAYS AS (CASE etape
                       WHEN 'amitie' THEN 1 WHEN 'jumelage_culturel' THEN 2
                       WHEN 'jumelage_cooperation' THEN 3 ELSE 4 END) VIRTUAL,
    depuis         TEXT NOT NULL CHECK (date(depuis) IS depuis),
    note           TEXT,
    UNIQUE (partenariat_id, depuis)
);
-- a later date carries a later stage
CREATE TRIGGER etape_dans_l_ordre BEFORE INSERT ON etape
WHEN EXISTS (SELECT 1 FROM etape e WHERE e.partenariat_id = NEW.partenariat_id
             AND (e.etape = NEW.etape
                  OR (e.depuis < NEW.depuis) <> (e.rang < (CASE NEW.etape
                       WHEN 'amitie' THEN 1 WHEN 'jumelage_culturel' THEN 2
                       WHEN 'jumelage_cooperation' THEN 3 ELSE 4 END))))
BEGIN
    SELECT RAISE(ABORT, 'les étapes d''un partenariat avancent avec le temps');
END;
CREATE TRIGGER etape_immuable BEFORE UPDATE OF etape, depuis, partenariat_id ON etape
BEGIN
    SELECT RAISE(ABORT, 'une étape ne se modifie pas : supprimez-la puis ajoutez la bonne');
END;

CREATE TABLE convention (
    id             INTEGER PRIMARY KEY,
    partenariat_id INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    intitule       TEXT NOT NULL CHECK (trim(intitule) <> ''),
    signee_le      TEXT CHECK (signee_le IS NULL OR date(signee_le) IS signee_le),
    duree_mois     INTEGER CHECK (duree_mois IS NULL OR (typeof(duree_mois) = 'integer' AND duree_mois > 0)),
    reconduction   TEXT NOT NULL DEFAULT 'non_precisee'
                       CHECK (reconduction IN ('non_precisee', 'aucune', 'tacite', 'expresse')),
    document       TEXT
);
CREATE INDEX convention_partenariat ON convention (partenariat_id);

CREATE TABLE intermediaire (
    partenariat_id INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    acteur_id      INTEGER NOT NULL REFERENCES acteur (id),
    role           TEXT NOT NULL CHECK (role IN ('comite_jumelage', 'association_migrants',
                       'ong_operatrice', 'autre')),
    precision      TEXT,
    PRIMARY KEY (partenariat_id, acteur_id, role)
) WITHOUT ROWID;

CREATE TABLE action (
    id             INTEGER PRIMARY KEY,
    partenariat_id INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    titre          TEXT NOT NULL CHECK (trim(titre) <> ''),
    description    TEXT,
    axe            TEXT NOT NULL CHECK (axe IN ('appui_institutionnel', 'services_sociaux_de_base',
                       'developpement_local', 'concertation_participative',
                       'education_au_developpement')),
    domaine        TEXT NOT NULL CHECK (domaine IN ('education', 'formation_professionnelle', 'sante',
                       'eau_assainissement', 'gouvernance_locale', 'societe_civile', 'culture',
                       'tourisme', 'economie', 'agriculture', 'rural', 'urbain', 'environnement',
                       'energie', 'jeunesse')),
    nature         TEXT NOT NULL CHECK (nature IN ('institutionnelle', 'physique')),
    statut         TEXT NOT NULL CHECK (statut IN ('prevue', 'en_cours', 'achevee', 'suspendue',
                       'annulee')),
    debut          TEXT CHECK (debut IS NULL OR date(debut) IS debut),
    fin            TEXT CHECK (fin IS NULL OR date(fin) IS fin),
    cree_le        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modifie_le     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (debut IS NULL OR fin IS NULL OR fin >= debut)
);
CREATE INDEX action_partenariat ON action (partenariat_id);
CREATE INDEX action_modifie ON action (modifie_le);

CREATE TABLE action_lieu (
    action_id       INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (action_id, collectivite_id)
) WITHOUT ROWID;
CREATE INDEX action_lieu_collectivite ON action_lieu (collectivite_id);

-- amounts are exact integers in the currency's minor units, never negative
CREATE TABLE financement (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES acteur (id),
    type      TEXT NOT NULL CHECK (type IN ('engagement', 'decaissement')),
    montant   INTEGER NOT NULL CHECK (typeof(montant) = 'integer' AND montant >= 0),
    devise    TEXT NOT NULL CHECK (devise IN ('XOF', 'EUR', 'USD', 'CAD', 'GBP', 'CHF')),
    annee     INTEGER NOT NULL CHECK (typeof(annee) = 'integer' AND annee BETWEEN 1960 AND 2100)
);
CREATE INDEX financement_action ON financement (action_id);
CREATE INDEX financement_source ON financement (source_id);
