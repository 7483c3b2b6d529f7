-- Capstan store, schema version 1.
--
-- kv holds the current value of every key; kv_log holds one row per revision (the change log) with the
-- value before and after, so that a list at an older revision and a watch replay need nothing else.
-- capstan_revision is the single counter row; its row lock orders all writers (see capstan_write).

CREATE TABLE capstan_revision (
    id       smallint PRIMARY KEY CHECK (id = 1),
    revision bigint   NOT NULL
);
INSERT INTO capstan_revision (id, revision) VALUES (1, 0);

-- Kept apart from the counter so that compaction never waits for, or delays, the writers' lock.
CREATE TABLE capstan_compaction (
    id       smallint PRIMARY KEY CHECK (id = 1),
    revision bigint   NOT NULL
);
INSERT INTO capstan_compaction (id, revision) VALUES (1, 0);

-- COLLATE "C": keys compare bytewise, so a prefix is one index range.
CREATE TABLE kv (
    key             text COLLATE "C" PRIMARY KEY,
    create_revision bigint NOT NULL,
    mod_revision    bigint NOT NULL,
    value           bytea  NOT NULL
);

-- prev_revision is 0 and prev_value NULL for a create; value is NULL for a delete.
CREATE TABLE kv_log (
    revision        bigint PRIMARY KEY,
    key             text COLLATE "C" NOT NULL,
    create_revision bigint NOT NULL,
    prev_revision   bigint NOT NULL,
    value           bytea,
    prev_value      bytea
);

-- Applies a batch of conditional writes in one transaction and returns one row per operation.
-- ops: 1 create, 2 update, 3 delete. expected: the caller's revision for update and delete.
--
-- Ordering guarantee: the first statement locks the single capstan_revision row. Every writing transaction,
-- from any process, takes that lock before it assigns revisions and holds it until it commits. Revisions are
-- therefore handed out in commit order, contiguously (a failed condition takes none, a rolled-back batch
-- rolls back its counter too), and a transaction becomes visible before the next one can even be assigned
-- revisions: PostgreSQL releases row locks only after the commit is visible to new snapshots. Any snapshot
-- that sees revision N thus sees every revision below N, and a reader of kv_log WHERE revision > last never
-- observes a gap. Batching makes the serial section cost one commit per batch, not one per write.
CREATE FUNCTION capstan_write(ops int[], keys text[], vals bytea[], expected bigint[],
        OUT o_ok boolean, OUT o_revision bigint, OUT o_create_revision bigint,
        OUT o_mod_revision bigint, OUT o_value bytea)
    RETURNS SETOF record
    LANGUAGE plpgsql AS $$
DECLARE
    rev   bigint;
    start bigint;
    cur   kv%ROWTYPE;
BEGIN
    SELECT c.revision INTO rev FROM capstan_revision c WHERE c.id = 1 FOR UPDATE;
    start := rev;
    FOR i IN 1 .. coalesce(array_length(ops, 1), 0) LOOP
        SELECT * INTO cur FROM kv WHERE kv.key = keys[i];
        IF (ops[i] = 1 AND FOUND) OR (ops[i] <> 1 AND (NOT FOUND OR cur.mod_revision <> expected[i])) THEN
            -- The condition failed: report what is stored (nothing, for a missing key).
            o_ok := false;
            o_revision := NULL;
            o_create_revision := cur.create_revision;
            o_mod_revision := cur.mod_revision;
            o_value := cur.value;
            RETURN NEXT;
            CONTINUE;
        END IF;
        rev := rev + 1;
        o_ok := true;
        o_revision := rev;
        IF ops[i] = 1 THEN
            INSERT INTO kv (key, create_revision, mod_revision, value) VALUES (keys[i], rev, rev, vals[i]);
            INSERT INTO kv_log (revision, key, create_revision, prev_revision, value, prev_value)
                VALUES (rev, keys[i], rev, 0, vals[i], NULL);
            o_create_revision := rev;
            o_mod_revision := rev;
            o_value := NULL;
        ELSIF ops[i] = 2 THEN
            UPDATE kv SET mod_revision = rev, value = vals[i] WHERE kv.key = keys[i];
            INSERT INTO kv_log (revision, key, create_revision, prev_revision, value, prev_value)
                VALUES (rev, keys[i], cur.create_revision, cur.mod_revision, vals[i], cur.value);
            o_create_revision := cur.create_revision;
            o_mod_revision := rev;
            o_value := NULL;
        ELSE
            DELETE FROM kv WHERE kv.key = keys[i];
            INSERT INTO kv_log (revision, key, create_revision, prev_revision, value, prev_value)
                VALUES (rev, keys[i], cur.create_revision, cur.mod_revision, NULL, cur.value);
            -- A delete answers with the value it removed.
            o_create_revision := cur.create_revision;
            o_mod_revision := cur.mod_revision;
            o_value := cur.value;
        END IF;
        RETURN NEXT;
    END LOOP;
    IF rev > start THEN
        UPDATE capstan_revision SET revision = rev WHERE id = 1;
        -- A wake-up only: readers fetch the rows themselves, so the payload is the revision, never data.
        PERFORM pg_notify('capstan_revision', rev::text);
    END IF;
END
$$;
