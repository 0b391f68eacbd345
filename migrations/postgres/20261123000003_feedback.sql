-- Feedback from clients (`POST /api/skills/:author/:name/feedback`): one row per report, and
-- running counts on the skill for its confidence score.
CREATE TABLE feedback (
    id          BIGSERIAL PRIMARY KEY,
    skill_id    BIGINT NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    author_id   BIGINT,
    result      TEXT NOT NULL,
    comment     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX feedback_skill ON feedback (skill_id);
ALTER TABLE skills ADD COLUMN feedback_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE skills ADD COLUMN feedback_success BIGINT NOT NULL DEFAULT 0;
