-- 024: signing settings set in the window (issue 29). The token's slot (NULL: the first token
-- that holds a signing key, as OpenSC numbers the ID-card reader's slots) and the certificate
-- of the CA that issued the Board's SMTP server certificate, when it is the Board's own
-- (empty: the public roots).
ALTER TABLE signing_settings ADD COLUMN pkcs11_slot INTEGER CHECK (pkcs11_slot IS NULL OR pkcs11_slot >= 0);
ALTER TABLE signing_settings ADD COLUMN smtp_ca TEXT NOT NULL DEFAULT '';
