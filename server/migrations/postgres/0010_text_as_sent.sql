-- An email's record is what its person received. Until it goes out it holds the rep's text with
-- its merge fields ('template'); when it is handed to the transport the sender stores the text it
-- sent, merge fields filled ('as_sent'), and never fills it again (a retry sends the same text).
-- Emails sent before this kept the template: those without merge fields hold what was sent; those
-- with them are filled once at start from their person's values (`outbox::fill_sent_text`), or
-- marked 'as_written' where a field cannot be filled.
ALTER TABLE emails ADD COLUMN text_is TEXT NOT NULL DEFAULT 'template'
    CHECK (text_is IN ('template', 'as_sent', 'as_written'));
UPDATE emails SET text_is = 'as_sent'
WHERE sent_at IS NOT NULL AND subject NOT LIKE '%{{%' AND body_html NOT LIKE '%{{%';
-- What start-up fills: none once filled, so the check at every start reads an empty index rather
-- than every email.
CREATE INDEX emails_template_sent ON emails (id) WHERE text_is = 'template' AND sent_at IS NOT NULL;
