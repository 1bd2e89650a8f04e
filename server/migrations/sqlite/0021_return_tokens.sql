-- The token of an email's own return path (`bounce+<token>@domain`, with --bounce-address): a
-- bounce addressed there names its email even when it quotes nothing of it.
ALTER TABLE emails ADD COLUMN return_token TEXT;
CREATE UNIQUE INDEX emails_return_token ON emails (return_token);
