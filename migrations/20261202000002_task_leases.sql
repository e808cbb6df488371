-- Which node runs the background tasks: the holder renews its lease; when it
-- stops, another node takes the lease once it has run out.
CREATE TABLE task_leases (
    name      TEXT PRIMARY KEY,
    holder    TEXT NOT NULL,
    until_ms  BIGINT NOT NULL
);
