-- benkan 0023: what actions produced (issue 15, « Suivi-évaluation »). A result measures one
-- indicator — of the catalogue (data/indicateurs, `indicateur` holds its code) or the
-- action's own (`libelle`) — in one unit, with a baseline, a target and values measured by
-- period. Values are integers in the unit's smallest step (model::Valeur: tenths for km, ha
-- and %), never floats. The unit is stored even for a catalogue indicator, so that a result
-- stays readable if the catalogue changes or retires it.
CREATE TABLE resultat (
    id         INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL REFERENCES action (id) ON DELETE CASCADE,
    -- its order on the action, from 0
    rang       INTEGER NOT NULL CHECK (typeof(rang) = 'integer' AND rang >= 0),
    indicateur TEXT CHECK (indicateur IS NULL OR length(indicateur) BETWEEN 1 AND 40),
    libelle    TEXT CHECK (libelle IS NULL OR length(trim(libelle)) BETWEEN 1 AND 200),
    unite      TEXT NOT NULL CHECK (unite IN ('nombre', 'personnes', 'km', 'ha', 'pourcentage')),
    base_pas   INTEGER CHECK (base_pas IS NULL OR (typeof(base_pas) = 'integer' AND base_pas >= 0)),
    base_date  TEXT CHECK (base_date IS NULL OR date(base_date) = base_date),
    cible_pas  INTEGER CHECK (cible_pas IS NULL OR (typeof(cible_pas) = 'integer' AND cible_pas >= 0)),
    cible_date TEXT CHECK (cible_date IS NULL OR date(cible_date) = cible_date),
    -- a catalogue indicator or the action's own, not both
    CHECK ((indicateur IS NULL) <> (libelle IS NULL)),
    -- a baseline says when it was observed
    CHECK ((base_pas IS NULL) = (base_date IS NULL)),
    CHECK (cible_date IS NULL OR cible_pas IS NOT NULL),
    -- a percentage stays within 0–100 % (1000 tenths)
    CHECK (unite <> 'pourcentage' OR (coalesce(base_pas, 0) <= 1000 AND coalesce(cible_pas, 0) <= 1000)),
    UNIQUE (action_id, rang)
);
CREATE INDEX resultat_indicateur ON resultat (indicateur) WHERE indicateur IS NOT NULL;

CREATE TABLE resultat_periode (
    resultat_id INTEGER NOT NULL REFERENCES resultat (id) ON DELETE CASCADE,
    debut       TEXT NOT NULL CHECK (date(debut) = debut),
    fin         TEXT NOT NULL CHECK (date(fin) = fin),
    valeur_pas  INTEGER NOT NULL CHECK (typeof(valeur_pas) = 'integer' AND valeur_pas >= 0),
    femmes      INTEGER CHECK (femmes IS NULL OR (typeof(femmes) = 'integer' AND femmes >= 0)),
    hommes      INTEGER CHECK (hommes IS NULL OR (typeof(hommes) = 'integer' AND hommes >= 0)),
    commentaire TEXT CHECK (commentaire IS NULL OR length(commentaire) <= 1000),
    source      TEXT CHECK (source IS NULL OR length(source) <= 300),
    CHECK (fin >= debut),
    CHECK (coalesce(femmes, 0) + coalesce(hommes, 0) <= valeur_pas)
);
CREATE INDEX resultat_periode_resultat ON resultat_periode (resultat_id, debut);

-- what a row cannot check alone: the unit is its result's
CREATE TRIGGER resultat_periode_unite BEFORE INSERT ON resultat_periode
WHEN (SELECT unite FROM resultat WHERE id = NEW.resultat_id) = 'pourcentage' AND NEW.valeur_pas > 1000
BEGIN SELECT RAISE(ABORT, 'un pourcentage mesuré dépasse 100 %'); END;
CREATE TRIGGER resultat_periode_sexe BEFORE INSERT ON resultat_periode
WHEN (NEW.femmes IS NOT NULL OR NEW.hommes IS NOT NULL)
  AND (SELECT unite FROM resultat WHERE id = NEW.resultat_id) <> 'personnes'
BEGIN SELECT RAISE(ABORT, 'la ventilation femmes / hommes ne vaut que pour des personnes'); END;

-- the public figures and pages move when a public action's results do (like its points, 0016)
CREATE TRIGGER generation_resultat_insert AFTER INSERT ON resultat
WHEN EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_resultat_delete AFTER DELETE ON resultat
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_resultat_update AFTER UPDATE ON resultat
WHEN EXISTS (SELECT 1 FROM action WHERE id = OLD.action_id AND validation = 'valide')
  OR EXISTS (SELECT 1 FROM action WHERE id = NEW.action_id AND validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_resultat_periode_insert AFTER INSERT ON resultat_periode
WHEN EXISTS (SELECT 1 FROM resultat r JOIN action a ON a.id = r.action_id
             WHERE r.id = NEW.resultat_id AND a.validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;
CREATE TRIGGER generation_resultat_periode_delete AFTER DELETE ON resultat_periode
WHEN EXISTS (SELECT 1 FROM resultat r JOIN action a ON a.id = r.action_id
             WHERE r.id = OLD.resultat_id AND a.validation = 'valide')
BEGIN UPDATE meta SET valeur = CAST(valeur AS INTEGER) + 1 WHERE cle = 'generation'; END;

-- and the overview kept up to date recounts the action's partenariat (0020)
CREATE TRIGGER apercu_version_resultat_insert AFTER INSERT ON resultat BEGIN INSERT INTO apercu_version (partenariat_id, version) SELECT partenariat_id, (SELECT coalesce(max(version), 0) + 1 FROM apercu_version) FROM action WHERE id = NEW.action_id ON CONFLICT (partenariat_id) DO UPDATE SET version = excluded.version; END;
CREATE TRIGGER apercu_version_resultat_delete AFTER DELETE ON resultat BEGIN INSERT INTO apercu_version (partenariat_id, version) SELECT partenariat_id, (SELECT coalesce(max(version), 0) + 1 FROM apercu_version) FROM action WHERE id = OLD.action_id ON CONFLICT (partenariat_id) DO UPDATE SET version = excluded.version; END;
CREATE TRIGGER apercu_version_resultat_periode_insert AFTER INSERT ON resultat_periode BEGIN INSERT INTO apercu_version (partenariat_id, version) SELECT a.partenariat_id, (SELECT coalesce(max(version), 0) + 1 FROM apercu_version) FROM resultat r JOIN action a ON a.id = r.action_id WHERE r.id = NEW.resultat_id ON CONFLICT (partenariat_id) DO UPDATE SET version = excluded.version; END;
