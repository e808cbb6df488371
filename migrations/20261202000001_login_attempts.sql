-- A sign-in attempt reserves its rows before the password is checked, so
-- concurrent attempts count each other; a successful one removes its own.
ALTER TABLE login_failures ADD COLUMN attempt TEXT;
CREATE INDEX login_failures_attempt ON login_failures (attempt);
