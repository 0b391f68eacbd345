-- The GitHub account an author proved they own by signing in with GitHub (device flow).
-- `github_username` from registration is only a claim; this id is verified.
ALTER TABLE authors ADD COLUMN github_id BIGINT;
CREATE UNIQUE INDEX authors_github_id ON authors (github_id);
