-- Feedback from clients (`POST /api/skills/:author/:name/feedback`): one row per report, and
-- running counts on the skill for its confidence score.
CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    skill_id    INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    author_id   INTEGER,
    result      TEXT NOT NULL,
    comment     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX feedback_skill ON feedback (skill_id);
ALTER TABLE skills ADD COLUMN feedback_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE skills ADD COLUMN feedback_success INTEGER NOT NULL DEFAULT 0;
