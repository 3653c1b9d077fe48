-- benkan 0025: the results the « autres interventions » publish in IATI (issue 15,
-- « Suivi-évaluation »), read by `benkan import iati` and kept as published — they are the
-- funder's indicators, not benkan's catalogue (0023), and never enter its figures.
--
-- Values are IATI decimals (`value="1200.50"`), kept exactly as TEXT in one written form
-- (model::DecimalIati: decimal point, no leading or trailing zeros, « -3.1 », « 0.25 »): a
-- REAL would turn 0.1 into 0.1000000000000000055…, and integer + scale would need a scale
-- per value for numbers whose precision the publisher chose, not benkan. A value that is
-- not a number is not stored (the import reports it with its line).

-- one line per indicator of a <result>, with what its result says
CREATE TABLE intervention_resultat (
    intervention_id       INTEGER NOT NULL REFERENCES intervention (id) ON DELETE CASCADE,
    -- its order in the activity, from 0
    rang                  INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    -- IATI ResultType code and the result's title
    type                  TEXT,
    titre                 TEXT,
    -- the indicator's title; IATI IndicatorMeasure code; ascending (1, 0, null if not said)
    indicateur            TEXT,
    mesure                TEXT,
    croissant             INTEGER CHECK (croissant IS NULL OR croissant IN (0, 1)),
    -- its first <reference>: IATI IndicatorVocabulary code and the code in it
    reference_vocabulaire TEXT,
    reference_code        TEXT,
    -- its first <baseline>
    base_annee            INTEGER,
    base_date             TEXT CHECK (base_date IS NULL OR date(base_date) = base_date),
    base_valeur           TEXT CHECK (base_valeur IS NULL OR base_valeur GLOB '*[0-9]*'
                                      AND base_valeur NOT GLOB '*[^0-9.-]*'),
    CHECK ((reference_vocabulaire IS NULL) = (reference_code IS NULL)),
    PRIMARY KEY (intervention_id, rang)
) WITHOUT ROWID;

CREATE TABLE intervention_resultat_periode (
    intervention_id INTEGER NOT NULL,
    resultat_rang   INTEGER NOT NULL,
    rang            INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    -- IATI requires both; a date the import could not read is null
    debut           TEXT CHECK (debut IS NULL OR date(debut) = debut),
    fin             TEXT CHECK (fin IS NULL OR date(fin) = fin),
    PRIMARY KEY (intervention_id, resultat_rang, rang),
    FOREIGN KEY (intervention_id, resultat_rang)
        REFERENCES intervention_resultat (intervention_id, rang) ON DELETE CASCADE
) WITHOUT ROWID;

-- the <target> and <actual> elements of a period: IATI 2.03 allows several, one per
-- combination of <dimension> (« sexe » = « femmes »)
CREATE TABLE intervention_resultat_valeur (
    intervention_id INTEGER NOT NULL,
    resultat_rang   INTEGER NOT NULL,
    periode_rang    INTEGER NOT NULL,
    rang            INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    nature          TEXT NOT NULL CHECK (nature IN ('cible', 'atteint')),
    -- null for a qualitative measure, or a value that was not a number
    valeur          TEXT CHECK (valeur IS NULL OR valeur GLOB '*[0-9]*'
                                AND valeur NOT GLOB '*[^0-9.-]*'),
    PRIMARY KEY (intervention_id, resultat_rang, periode_rang, rang),
    FOREIGN KEY (intervention_id, resultat_rang, periode_rang)
        REFERENCES intervention_resultat_periode (intervention_id, resultat_rang, rang)
        ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE intervention_resultat_dimension (
    intervention_id INTEGER NOT NULL,
    resultat_rang   INTEGER NOT NULL,
    periode_rang    INTEGER NOT NULL,
    valeur_rang     INTEGER NOT NULL,
    rang            INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    nom             TEXT NOT NULL,
    valeur          TEXT NOT NULL,
    PRIMARY KEY (intervention_id, resultat_rang, periode_rang, valeur_rang, rang),
    FOREIGN KEY (intervention_id, resultat_rang, periode_rang, valeur_rang)
        REFERENCES intervention_resultat_valeur (intervention_id, resultat_rang, periode_rang, rang)
        ON DELETE CASCADE
) WITHOUT ROWID;

-- The answers the site keeps (web::reponses) are tagged with `apercu_interventions`, which
-- only the places' links moved (0020): a re-import that changed an activity's results, or
-- its title, without changing its links was served stale by /api/v1/interventions/{id}, as
-- was a new activity linked nowhere by the list. An activity is written again only when its
-- fingerprint changed (0014): that, its creation and its removal move the generation.
CREATE TRIGGER apercu_interventions_intervention_insert AFTER INSERT ON intervention BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'apercu_interventions'; END;
CREATE TRIGGER apercu_interventions_intervention_update AFTER UPDATE OF empreinte ON intervention BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'apercu_interventions'; END;
CREATE TRIGGER apercu_interventions_intervention_delete AFTER DELETE ON intervention BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'apercu_interventions'; END;
