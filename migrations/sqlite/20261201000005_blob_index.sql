-- Which versions refer to a blob: the blob route serves an archive only while a published,
-- unblocked version refers to it (refused publishes and removed versions leave none).
CREATE INDEX versions_integrity ON versions (integrity);
