-- benkan 0010: the people to write to on each side of a partenariat (model::contact). Personal data:
-- no public view, export or overview reads this table.
CREATE TABLE contact (
    id              INTEGER PRIMARY KEY,
    partenariat_id  INTEGER NOT NULL REFERENCES partenariat (id) ON DELETE CASCADE,
    nom             TEXT NOT NULL CHECK (length(trim(nom)) > 0 AND length(nom) <= 200),
    fonction        TEXT CHECK (fonction IS NULL OR (length(trim(fonction)) > 0 AND length(fonction) <= 200)),
    email           TEXT CHECK (email IS NULL OR (email = lower(trim(email)) AND length(email) <= 254
                        AND email LIKE '_%@_%._%')),
    telephone       TEXT CHECK (telephone IS NULL OR (length(trim(telephone)) > 0 AND length(telephone) <= 40)),
    collectivite_id INTEGER REFERENCES collectivite (id),
    cree_le         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (email IS NOT NULL OR telephone IS NOT NULL)
);
CREATE INDEX contact_partenariat ON contact (partenariat_id);
CREATE INDEX contact_collectivite ON contact (collectivite_id);
