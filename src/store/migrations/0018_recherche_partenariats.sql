-- benkan 0018: the text search of /partenariats. One full-text document per partenariat:
-- its title, the names of its parties and of the acteurs that carry it. The unicode61
-- tokenizer folds case and removes accents (« segou » finds « Ségou »), so no function of
-- the program is needed in SQL; the triggers below keep it right in the same transaction
-- as every change, whoever writes (forms, imports, exchanges). Contentless: the text is
-- indexed, not stored twice.
CREATE VIRTUAL TABLE partenariat_recherche USING fts5(
    texte, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- what is indexed for each partenariat
CREATE VIEW partenariat_texte_recherche (id, texte) AS
    SELECT p.id, p.titre
        || ' ' || coalesce((SELECT group_concat(c.nom, ' ') FROM partie pa
                            JOIN collectivite c ON c.id = pa.collectivite_id
                            WHERE pa.partenariat_id = p.id), '')
        || ' ' || coalesce((SELECT group_concat(a.nom, ' ') FROM intermediaire i
                            JOIN acteur a ON a.id = i.acteur_id
                            WHERE i.partenariat_id = p.id), '')
    FROM partenariat p;

INSERT INTO partenariat_recherche (rowid, texte) SELECT id, texte FROM partenariat_texte_recherche;

-- the one way to index a partenariat again: insert its id here (from a trigger)
CREATE VIEW partenariat_a_reindexer (id) AS SELECT NULL;
CREATE TRIGGER reindexer_partenariat INSTEAD OF INSERT ON partenariat_a_reindexer
BEGIN
    DELETE FROM partenariat_recherche WHERE rowid = NEW.id;
    INSERT INTO partenariat_recherche (rowid, texte)
        SELECT id, texte FROM partenariat_texte_recherche WHERE id = NEW.id;
END;

CREATE TRIGGER recherche_partenariat_insert AFTER INSERT ON partenariat
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (NEW.id); END;
CREATE TRIGGER recherche_partenariat_update AFTER UPDATE OF titre ON partenariat
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (NEW.id); END;
CREATE TRIGGER recherche_partenariat_delete AFTER DELETE ON partenariat
BEGIN DELETE FROM partenariat_recherche WHERE rowid = OLD.id; END;

-- a party or an intermediary added, removed or replaced: the partenariat's text again
CREATE TRIGGER recherche_partie_insert AFTER INSERT ON partie
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (NEW.partenariat_id); END;
CREATE TRIGGER recherche_partie_update AFTER UPDATE ON partie
BEGIN
    INSERT INTO partenariat_a_reindexer (id) VALUES (OLD.partenariat_id);
    INSERT INTO partenariat_a_reindexer (id) VALUES (NEW.partenariat_id);
END;
CREATE TRIGGER recherche_partie_delete AFTER DELETE ON partie
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (OLD.partenariat_id); END;
CREATE TRIGGER recherche_intermediaire_insert AFTER INSERT ON intermediaire
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (NEW.partenariat_id); END;
CREATE TRIGGER recherche_intermediaire_delete AFTER DELETE ON intermediaire
BEGIN INSERT INTO partenariat_a_reindexer (id) VALUES (OLD.partenariat_id); END;

-- a collectivité or an acteur renamed: the text of every partenariat that names it
CREATE TRIGGER recherche_collectivite_nom AFTER UPDATE OF nom ON collectivite
BEGIN
    INSERT INTO partenariat_a_reindexer (id)
        SELECT partenariat_id FROM partie WHERE collectivite_id = NEW.id;
END;
CREATE TRIGGER recherche_acteur_nom AFTER UPDATE OF nom ON acteur
BEGIN
    INSERT INTO partenariat_a_reindexer (id)
        SELECT partenariat_id FROM intermediaire WHERE acteur_id = NEW.id;
END;
