-- Token buckets for the limits that must hold across instances (publishing): one row per
-- account and limit, refilled by elapsed time when it is next taken from.
CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    updated_ms BIGINT NOT NULL
);
