package dev.capstan.store.internal;

/** Every SQL statement the store runs. The schema lives in {@code db/V*.sql}. */
final class Sql {
    private Sql() {}

    static final String NOTIFY_CHANNEL = "capstan_revision";

    static final String LISTEN = "LISTEN " + NOTIFY_CHANNEL;

    /** One row per operation, in order; see capstan_write in V1__store.sql for the ordering argument. */
    static final String WRITE = "SELECT o_ok, o_revision, o_create_revision, o_mod_revision, o_value"
            + " FROM capstan_write($1::int[], $2::text[], $3::bytea[], $4::bigint[])";

    static final String GET = "SELECT create_revision, mod_revision, value FROM kv WHERE key = $1";

    static final String REVISIONS = "SELECT r.revision, c.revision FROM capstan_revision r, capstan_compaction c"
            + " WHERE r.id = 1 AND c.id = 1";

    /**
     * The keys in [$1, $2) after $4 as of revision $3 (0: current), as two CTEs: {@code unchanged}, the keys
     * untouched since that revision, read from kv; {@code changed}, the keys changed since then, each with the
     * value before its first later change, which every change-log row carries (a create has none: the key did
     * not exist yet). Both are read in one statement, hence one snapshot, with the counter and the compaction
     * mark ({@code meta}), so a compaction running at the same time cannot leave a half-read history unnoticed.
     * Each half is limited on its own, in key order, and the revision is a scalar subquery (an init plan whose
     * value the index scans can use) rather than a join, so a page reads a page's worth of the kv index and only
     * the log rows after the revision, instead of every remaining key and the whole log.
     */
    private static String keysAtRevision(String limit) {
        return """
                WITH meta AS (
                    SELECT r.revision AS current_revision, c.revision AS compact_revision,
                           CASE WHEN $3::bigint = 0 THEN r.revision ELSE $3::bigint END AS at_revision
                      FROM capstan_revision r, capstan_compaction c
                     WHERE r.id = 1 AND c.id = 1),
                unchanged AS (
                    SELECT k.key, k.create_revision, k.mod_revision, k.value
                      FROM kv k
                     WHERE k.key >= $1::text AND k.key < $2::text AND k.key > $4::text
                       AND k.mod_revision <= (SELECT at_revision FROM meta)
                     ORDER BY k.key %1$s),
                changed AS (
                    SELECT h.key, h.create_revision, h.prev_revision AS mod_revision, h.prev_value AS value
                      FROM (SELECT DISTINCT ON (l.key) l.key, l.create_revision, l.prev_revision, l.prev_value
                              FROM kv_log l
                             WHERE l.revision > (SELECT at_revision FROM meta)
                               AND l.key >= $1::text AND l.key < $2::text AND l.key > $4::text
                             ORDER BY l.key, l.revision) h
                     WHERE h.prev_value IS NOT NULL
                     ORDER BY h.key %1$s)
                """.formatted(limit);
    }

    /** At most $5 + 1 rows; $5 = 0 means all. The extra row only says that more follow. */
    private static final String PAGE_LIMIT = "LIMIT CASE WHEN $5::int = 0 THEN NULL ELSE $5::int + 1 END";

    /** A page of keys at a revision ($5: the page size). The first row always carries the revisions. */
    static final String LIST = keysAtRevision(PAGE_LIMIT) + """
            , page AS (
                SELECT * FROM unchanged
                UNION ALL
                SELECT * FROM changed
                ORDER BY key %s)
            SELECT m.current_revision, m.compact_revision, m.at_revision,
                   p.key, p.create_revision, p.mod_revision, p.value
              FROM meta m LEFT JOIN page p ON true
             ORDER BY p.key
            """.formatted(PAGE_LIMIT);

    /** How many keys there are at a revision, with the revisions: the same rows LIST pages through. */
    static final String COUNT = keysAtRevision("") + """
            SELECT m.current_revision, m.compact_revision, m.at_revision,
                   (SELECT count(*) FROM unchanged) + (SELECT count(*) FROM changed)
              FROM meta m
            """;

    /**
     * Change-log rows with revisions in ($1, $2] and keys in [$3, $4), oldest first, at most $5; each row also
     * carries the compaction mark of the same snapshot, and one row with NULLs comes back when none match.
     */
    static final String READ_LOG = """
            SELECT c.revision, l.revision, l.key, l.create_revision, l.prev_revision, l.value, l.prev_value
              FROM capstan_compaction c
              LEFT JOIN LATERAL (
                    SELECT * FROM kv_log
                     WHERE revision > $1::bigint AND revision <= $2::bigint
                       AND key >= $3::text AND key < $4::text
                     ORDER BY revision LIMIT $5::int) l ON true
             WHERE c.id = 1
             ORDER BY l.revision
            """;

    /** Moves the compaction mark forward, never past the current revision; no row back means nothing to do. */
    static final String MARK_COMPACTED = """
            UPDATE capstan_compaction SET revision = $1::bigint
             WHERE id = 1 AND revision < $1::bigint
               AND $1::bigint <= (SELECT revision FROM capstan_revision WHERE id = 1)
            RETURNING revision
            """;

    /** Deletes one chunk of trimmed log rows, so no transaction holds many row locks for long. */
    static final String TRIM_LOG = "DELETE FROM kv_log WHERE revision > $1::bigint AND revision <= $2::bigint";

    static final String MIGRATION_LOCK = "SELECT pg_advisory_lock(7306201)";
    static final String MIGRATION_UNLOCK = "SELECT pg_advisory_unlock(7306201)";
    static final String SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS capstan_schema_version ("
            + "version int PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";
    static final String SCHEMA_VERSIONS = "SELECT version FROM capstan_schema_version";
    static final String RECORD_VERSION = "INSERT INTO capstan_schema_version (version, script) VALUES ($1, $2)";
}
