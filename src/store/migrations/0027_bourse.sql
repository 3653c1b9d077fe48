-- benkan 0027: la bourse aux partenariats (issue 16). A Malian collectivité publishes a
-- demande (what it needs, the partner it wants); a foreign collectivité or an acteur working
-- with one publishes an offre (what it can bring). Both go through the national review like
-- every record; the public sees them once validated and while open. Lists of codes
-- (domaines, axes, langues, capacités) are JSON arrays checked by the model: they are read
-- whole and filtered by membership, never joined. An expired one is not a state: it is an
-- open one whose last day has passed.
--
-- Each side is told by e-mail when the other says its interest: `courriel` is rebuilt to
-- admit that kind of message (its CHECK lists them).
-- benkan: reconstruction de tables

CREATE TABLE bourse_demande (
    id                     INTEGER PRIMARY KEY,
    collectivite_id        INTEGER NOT NULL REFERENCES collectivite (id),
    titre                  TEXT NOT NULL CHECK (length(trim(titre)) BETWEEN 1 AND 200),
    besoin                 TEXT NOT NULL CHECK (length(trim(besoin)) BETWEEN 1 AND 3000),
    domaines               TEXT NOT NULL CHECK (json_valid(domaines) AND json_array_length(domaines) BETWEEN 1 AND 5),
    axes                   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(axes)),
    langues                TEXT NOT NULL CHECK (json_valid(langues) AND json_array_length(langues) >= 1),
    -- the PDESC objective the need serves, when the collectivité names one
    objectif_id            INTEGER REFERENCES pdesc_objectif (id) ON DELETE SET NULL,
    niveau_souhaite        TEXT CHECK (niveau_souhaite IS NULL OR niveau_souhaite IN ('region',
                               'departement', 'commune', 'epci', 'metropole', 'niveau_1',
                               'niveau_2', 'niveau_3')),
    pays_souhaite          TEXT CHECK (pays_souhaite IS NULL OR (pays_souhaite GLOB '[A-Z][A-Z]'
                               AND pays_souhaite <> 'ML')),
    ouverte_jusqu_au       TEXT NOT NULL CHECK (date(ouverte_jusqu_au) IS ouverte_jusqu_au),
    -- ouverte; pourvue when a partenariat was born from it; retiree by its author
    etat                   TEXT NOT NULL DEFAULT 'ouverte' CHECK (etat IN ('ouverte', 'pourvue', 'retiree')),
    pourvue_le             TEXT CHECK (pourvue_le IS NULL OR date(pourvue_le) IS pourvue_le),
    validation             TEXT NOT NULL DEFAULT 'soumis' CHECK (validation IN ('soumis', 'valide', 'a_corriger')),
    commentaire_validation TEXT,
    cree_le                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modifie_le             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((etat = 'pourvue') = (pourvue_le IS NOT NULL))
);
CREATE INDEX bourse_demande_collectivite ON bourse_demande (collectivite_id);
CREATE INDEX bourse_demande_publique ON bourse_demande (validation, etat, ouverte_jusqu_au);

CREATE TABLE bourse_offre (
    id                     INTEGER PRIMARY KEY,
    -- the foreign collectivité it comes from, or that the acteur works with (may be unknown)
    collectivite_id        INTEGER REFERENCES collectivite (id),
    -- the association or NGO that published it, if not a collectivité
    acteur_id              INTEGER REFERENCES acteur (id),
    titre                  TEXT NOT NULL CHECK (length(trim(titre)) BETWEEN 1 AND 200),
    expertise              TEXT NOT NULL CHECK (length(trim(expertise)) BETWEEN 1 AND 3000),
    domaines               TEXT NOT NULL CHECK (json_valid(domaines) AND json_array_length(domaines) BETWEEN 1 AND 5),
    langues                TEXT NOT NULL CHECK (json_valid(langues) AND json_array_length(langues) >= 1),
    capacites              TEXT NOT NULL CHECK (json_valid(capacites) AND json_array_length(capacites) >= 1),
    -- the funding range, in minor units of its currency
    financement_de         INTEGER CHECK (financement_de IS NULL OR (typeof(financement_de) = 'integer' AND financement_de >= 0)),
    financement_a          INTEGER CHECK (financement_a IS NULL OR (typeof(financement_a) = 'integer' AND financement_a >= financement_de)),
    devise                 TEXT CHECK (devise IS NULL OR devise IN ('XOF', 'EUR', 'USD', 'CAD', 'GBP', 'CHF')),
    ouverte_jusqu_au       TEXT NOT NULL CHECK (date(ouverte_jusqu_au) IS ouverte_jusqu_au),
    etat                   TEXT NOT NULL DEFAULT 'ouverte' CHECK (etat IN ('ouverte', 'pourvue', 'retiree')),
    pourvue_le             TEXT CHECK (pourvue_le IS NULL OR date(pourvue_le) IS pourvue_le),
    validation             TEXT NOT NULL DEFAULT 'soumis' CHECK (validation IN ('soumis', 'valide', 'a_corriger')),
    commentaire_validation TEXT,
    cree_le                TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    modifie_le             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (collectivite_id IS NOT NULL OR acteur_id IS NOT NULL),
    CHECK ((financement_de IS NULL) = (financement_a IS NULL)
       AND (financement_de IS NULL) = (devise IS NULL)),
    CHECK ((etat = 'pourvue') = (pourvue_le IS NOT NULL))
);
CREATE INDEX bourse_offre_collectivite ON bourse_offre (collectivite_id);
CREATE INDEX bourse_offre_acteur ON bourse_offre (acteur_id);
CREATE INDEX bourse_offre_publique ON bourse_offre (validation, etat, ouverte_jusqu_au);

-- the régions of Mali an offre's author already knows
CREATE TABLE bourse_offre_region (
    offre_id  INTEGER NOT NULL REFERENCES bourse_offre (id) ON DELETE CASCADE,
    region_id INTEGER NOT NULL REFERENCES collectivite (id),
    PRIMARY KEY (offre_id, region_id)
) WITHOUT ROWID;

-- an account's interest in a pair, on one side: both sides' rows mean both agree
CREATE TABLE bourse_interet (
    demande_id INTEGER NOT NULL REFERENCES bourse_demande (id),
    offre_id   INTEGER NOT NULL REFERENCES bourse_offre (id),
    cote       TEXT NOT NULL CHECK (cote IN ('demande', 'offre')),
    compte_id  INTEGER NOT NULL REFERENCES compte (id),
    message    TEXT CHECK (message IS NULL OR length(message) <= 2000),
    quand      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (demande_id, offre_id, cote)
) WITHOUT ROWID;
CREATE INDEX bourse_interet_offre ON bourse_interet (offre_id);

-- the partenariat born from a pair, once both sides agreed
CREATE TABLE bourse_rencontre (
    partenariat_id INTEGER PRIMARY KEY REFERENCES partenariat (id),
    demande_id     INTEGER NOT NULL UNIQUE REFERENCES bourse_demande (id),
    offre_id       INTEGER NOT NULL REFERENCES bourse_offre (id),
    le             TEXT NOT NULL CHECK (date(le) IS le)
);

-- the public pages and the open data show them: their kept answers move with them
CREATE TRIGGER generation_bourse_demande_insert AFTER INSERT ON bourse_demande
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_demande_update AFTER UPDATE ON bourse_demande
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_demande_delete AFTER DELETE ON bourse_demande
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_offre_insert AFTER INSERT ON bourse_offre
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_offre_update AFTER UPDATE ON bourse_offre
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_offre_delete AFTER DELETE ON bourse_offre
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_offre_region AFTER INSERT ON bourse_offre_region
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_offre_region_delete AFTER DELETE ON bourse_offre_region
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_bourse_rencontre AFTER INSERT ON bourse_rencontre
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

CREATE TABLE courriel_nouveau (
    id              INTEGER PRIMARY KEY,
    -- what it is about, for the logs and the metrics
    genre           TEXT NOT NULL CHECK (genre IN ('resume_revue', 'decision', 'rappel_campagne',
                        'bourse_interet')),
    destinataire    TEXT NOT NULL CHECK (destinataire LIKE '%_@_%'),
    sujet           TEXT NOT NULL,
    texte           TEXT NOT NULL,
    html            TEXT NOT NULL,
    cree_le         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    essais          INTEGER NOT NULL DEFAULT 0 CHECK (essais >= 0),
    prochain_essai  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    derniere_erreur TEXT,
    envoye_le       TEXT,
    -- given up after the last retry (the error is kept)
    abandonne_le    TEXT
);
INSERT INTO courriel_nouveau (id, genre, destinataire, sujet, texte, html, cree_le, essais,
        prochain_essai, derniere_erreur, envoye_le, abandonne_le)
    SELECT id, genre, destinataire, sujet, texte, html, cree_le, essais, prochain_essai,
        derniere_erreur, envoye_le, abandonne_le FROM courriel;
DROP TABLE courriel;
ALTER TABLE courriel_nouveau RENAME TO courriel;
CREATE INDEX courriel_a_envoyer ON courriel (prochain_essai)
    WHERE envoye_le IS NULL AND abandonne_le IS NULL;
