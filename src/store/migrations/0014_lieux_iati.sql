-- benkan 0014: every IATI <location> accounted for (issue 11). A place keeps what a page
-- needs to show it — its name (a place may have none: a point, a code), description, code,
-- point and how precise the publisher says it is — and how it was linked, or why it was not.
-- One place may link to several collectivités (« Gao, Kidal, Mopti »): the links move to a
-- table of their own. An intervention keeps a fingerprint of what was imported, so that
-- re-importing it unchanged writes nothing and is reported as unchanged.

-- BLAKE2b-256 of the imported content (model::NouvelleIntervention::empreinte); null for
-- interventions imported before this migration, which the next import therefore updates.
ALTER TABLE intervention ADD COLUMN empreinte BLOB
    CHECK (empreinte IS NULL OR length(empreinte) = 32);

ALTER TABLE intervention_lieu RENAME TO intervention_lieu_0007;
DROP INDEX intervention_lieu_collectivite;

CREATE TABLE intervention_lieu (
    intervention_id    INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    rang               INTEGER NOT NULL,
    -- as published
    nom                TEXT CHECK (nom IS NULL OR length(trim(nom)) > 0),
    description        TEXT,
    -- the administrative code read: ISO 3166-2 (« ML-1 ») or COD P-code (« ML0101 »)
    code_administratif TEXT,
    -- the point, in WGS 84 degrees
    latitude           REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude          REAL CHECK (longitude BETWEEN -180 AND 180),
    -- IATI GeographicExactness and GeographicLocationReach codes
    exactitude         TEXT,
    portee             TEXT,
    -- how it was linked, or why it was not; both null for places imported before 0014
    methode            TEXT CHECK (methode IN ('code', 'nom', 'liste', 'point')),
    motif              TEXT CHECK (motif IN ('mali_entier', 'hors_mali', 'inconnu', 'ambigu', 'illisible')),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK (methode IS NULL OR motif IS NULL),
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;

-- how places were linked before 0014 is not known: methode and motif stay null
INSERT INTO intervention_lieu (intervention_id, rang, nom, code_administratif)
    SELECT intervention_id, rang, nom, code_administratif FROM intervention_lieu_0007;

CREATE TABLE intervention_lieu_collectivite (
    intervention_id INTEGER NOT NULL,
    rang            INTEGER NOT NULL,
    collectivite_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (intervention_id, rang, collectivite_id),
    FOREIGN KEY (intervention_id, rang) REFERENCES intervention_lieu (intervention_id, rang)
        ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX intervention_lieu_collectivite_id ON intervention_lieu_collectivite (collectivite_id);

INSERT INTO intervention_lieu_collectivite (intervention_id, rang, collectivite_id)
    SELECT intervention_id, rang, collectivite_id FROM intervention_lieu_0007
    WHERE collectivite_id IS NOT NULL;

DROP TABLE intervention_lieu_0007;
