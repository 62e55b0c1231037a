-- 0003: the rate limiter's state (limiter.go), one row per key: the minute
-- window's token bucket in auth.MemoryLimiter's integer units and the UTC
-- day's count. Every Allow rewrites the row; no column it changes is
-- indexed and the pages keep room, so the rewrite stays a HOT update.
CREATE TABLE rate_limits (
    key      text    COLLATE "C" PRIMARY KEY,
    seen     bigint  NOT NULL, -- the latest now seen, nanoseconds since the Unix epoch
    deficit  bigint  NOT NULL, -- units missing from a full minute bucket; a request costs 60e9
    day      bigint  NOT NULL, -- the UTC day count belongs to, days since the Unix epoch
    count    bigint  NOT NULL, -- requests admitted on day
    admitted boolean NOT NULL  -- whether the latest Allow admitted its request (RETURNING reads it)
) WITH (fillfactor = 80);
