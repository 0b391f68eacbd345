-- Organisations and private skills.
-- An organisation is a namespace like an author (a row in authors with is_org = 1 that
-- signs in as nobody); its members have a role each.
ALTER TABLE authors ADD COLUMN is_org INTEGER NOT NULL DEFAULT 0;

CREATE TABLE org_members (
    org_id    INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('owner', 'publisher', 'reader')),
    added_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, member_id)
);
CREATE INDEX org_members_member ON org_members (member_id);

-- A private skill exists only for its owner and its organisation's members.
ALTER TABLE skills ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'private'));

-- A token scoped to an organisation publishes only there.
ALTER TABLE api_tokens ADD COLUMN org_id INTEGER REFERENCES authors(id) ON DELETE CASCADE;
