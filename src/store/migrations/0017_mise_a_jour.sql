-- benkan 0017: when the published data last changed, for the « Données mises à jour le »
-- line of the public pages. Every trigger that moves the generation counter (0003, 0009,
-- 0013, 0015, 0016) updates meta's 'generation' row: one trigger on that row records the
-- moment, inside the same transaction, so the date can never disagree with the counter.
-- '' until the first change after this migration: the moment of earlier changes is unknown.
INSERT INTO meta (cle, valeur) VALUES ('mise_a_jour', '');
CREATE TRIGGER mise_a_jour_generation AFTER UPDATE OF valeur ON meta
WHEN NEW.cle = 'generation'
BEGIN UPDATE meta SET valeur = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE cle = 'mise_a_jour'; END;
