-- 0011: the one-time success message of the back office ("flash"), kept
-- with the session on the server instead of in a URL anyone can open; and
-- each user's last successful sign-in, shown on the users page.
ALTER TABLE sessions ADD COLUMN flash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;
