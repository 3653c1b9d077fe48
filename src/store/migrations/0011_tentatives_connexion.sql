-- benkan 0011: every sign-in attempt is recorded before its password is checked, and
-- forgotten when it succeeds; what remains (failures, attempts being checked) is counted per
-- (e-mail, address) and per address, and an e-mail's failures slow its next checks (the
-- rule is in acces::tentatives). echec_connexion,
-- which recorded sign-in failures only after the check, keeps the refused API tokens.
DELETE FROM echec_connexion WHERE cle NOT LIKE 'jeton:%';

CREATE TABLE tentative_connexion (
    id      INTEGER PRIMARY KEY,
    -- as typed, trimmed and in lower case: it need not be an account's
    email   TEXT NOT NULL CHECK (length(email) <= 254),
    -- an IPv4 address or an IPv6 /64 network
    adresse TEXT NOT NULL CHECK (length(adresse) BETWEEN 1 AND 64),
    quand   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- 0 while the password is being checked, 1 once it proved wrong
    echec   INTEGER NOT NULL DEFAULT 0 CHECK (echec IN (0, 1))
);
CREATE INDEX tentative_connexion_adresse ON tentative_connexion (adresse, email, quand);
CREATE INDEX tentative_connexion_email ON tentative_connexion (email, quand);
CREATE INDEX tentative_connexion_quand ON tentative_connexion (quand);
