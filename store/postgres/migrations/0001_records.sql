-- 0001: the records. Filled in by the records change; this file exists so
-- the package builds and Migrate runs.
SELECT 1;
