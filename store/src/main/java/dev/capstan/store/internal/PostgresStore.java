package dev.capstan.store.internal;

import dev.capstan.store.CompactedException;
import dev.capstan.store.ConflictException;
import dev.capstan.store.FutureRevisionException;
import dev.capstan.store.InvalidInputException;
import dev.capstan.store.KeyExistsException;
import dev.capstan.store.KeyNotFoundException;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import dev.capstan.store.StoreConfig;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import dev.capstan.store.embedded.EmbeddedDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The store on PostgreSQL. See {@link Store} for the contract and V1__store.sql for the ordering argument. */
public final class PostgresStore implements Store {
    private static final int TRIM_CHUNK = 10_000;

    private final Pool pool;
    private final String target;
    private final EmbeddedDatabase embedded;
    private final WriteBatcher batcher;
    private final WatchHub hub;
    private final ChangeLogReader reader;
    private final Compactor compactor;

    private PostgresStore(
            Vertx vertx, PgConnectOptions options, EmbeddedDatabase embedded, StoreConfig config, Clock clock) {
        this.embedded = embedded;
        this.target = options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
        this.pool = PgBuilder.pool()
                // No wait timeout on the pool: its timer is not cancelled when a connect fails and later fails
                // a completed promise (vertx-sql-client#1706). An unreachable database still fails fast,
                // through the connect timeout set on the options.
                .with(new PoolOptions()
                        .setMaxSize(config.pool().size())
                        .setConnectionTimeout(0)
                        .setIdleTimeout((int) config.pool().idleTimeout().toMillis())
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectingTo(options)
                .using(vertx)
                .build();
        SchemaMigrator.migrate(pool, target);
        this.hub = new WatchHub(currentRevision(), this::readLog, config.watch().queueSize());
        this.reader = new ChangeLogReader(
                vertx, options, hub, this::readLog, config.watch().pollInterval());
        this.batcher =
                new WriteBatcher(pool, config.batch().maxSize(), config.batch().maxInFlight(), reader::wake, target);
        this.compactor = new Compactor(
                this,
                hub,
                new CompactionPolicy(
                        config.compaction().maxAge(), config.compaction().maxCount()),
                config.compaction().interval(),
                clock);
        reader.start();
        compactor.start();
    }

    /** Opens the store on the configured database, or on an embedded one when no URL is configured. */
    public static PostgresStore open(Vertx vertx, StoreConfig config, Clock clock) {
        checkConfig(config);
        EmbeddedDatabase embedded = null;
        PgConnectOptions options;
        if (config.url().isPresent()) {
            options = parseUrl(config.url().get());
            // An embedded server begun early is not wanted when the config names another database.
            EmbeddedDatabase.stopBackgroundStarts();
        } else {
            embedded = startEmbedded(config.embedded());
            EmbeddedDatabase.stopBackgroundStarts(); // any begun for another directory
            options = new PgConnectOptions()
                    .setHost(embedded.host())
                    .setPort(embedded.port())
                    .setDatabase(embedded.database())
                    .setUser(embedded.user())
                    .setPassword(embedded.password());
        }
        // NOTICEs (such as "already exists, skipping" from the migrator) would be logged as warnings.
        options.addProperty("client_min_messages", "warning")
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(8192)
                .setConnectTimeout((int) config.pool().connectTimeout().toMillis());
        try {
            return new PostgresStore(vertx, options, embedded, config, clock);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.stop();
            }
            throw e;
        }
    }

    private static EmbeddedDatabase startEmbedded(StoreConfig.Embedded settings) {
        try {
            return EmbeddedDatabase.start(Path.of(settings.dataDir()), settings.port());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the embedded PostgreSQL did not start: " + e.getMessage()
                            + " (set capstan.store.embedded.data-dir to a writable directory, or capstan.store.url to"
                            + " use an existing PostgreSQL)",
                    e);
        }
    }

    private static void checkConfig(StoreConfig config) {
        if (config.batch().maxSize() < 1 || config.batch().maxInFlight() < 1) {
            throw new IllegalArgumentException(
                    "capstan.store.batch.max-size and capstan.store.batch.max-in-flight must be at least 1");
        }
        if (config.watch().queueSize() < 1 || config.pool().size() < 2) {
            throw new IllegalArgumentException(
                    "capstan.store.watch.queue-size must be at least 1 and capstan.store.pool.size at least 2");
        }
    }

    private static PgConnectOptions parseUrl(String url) {
        String uri = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        try {
            return PgConnectOptions.fromUri(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "capstan.store.url '" + url + "' is not a PostgreSQL URL; expected"
                            + " postgresql://user:password@host:port/database",
                    e);
        }
    }

    @Override
    public Optional<KeyValue> get(String key) {
        checkKey(key);
        RowSet<Row> rows = Pg.await(pool.preparedQuery(Sql.GET).execute(Tuple.of(key)), target);
        for (Row row : rows) {
            return Optional.of(new KeyValue(key, Rows.bytes(row.getBuffer(2)), row.getLong(0), row.getLong(1)));
        }
        return Optional.empty();
    }

    @Override
    public ListResult list(String prefix, long revision, int limit, String startAfterKey) {
        if (revision < 0 || limit < 0) {
            throw new InvalidInputException("revision and limit must not be negative");
        }
        KeyRange range = KeyRange.prefix(prefix);
        RowSet<Row> rows = Pg.await(
                pool.preparedQuery(Sql.LIST)
                        .execute(Tuple.of(range.start(), range.end(), revision, startAfterKey, limit)),
                target);
        List<KeyValue> items = new ArrayList<>(rows.size());
        long at = 0;
        for (Row row : rows) {
            at = checkRevision(row);
            String key = row.getString(3);
            if (key != null) {
                items.add(new KeyValue(key, Rows.bytes(row.getBuffer(6)), row.getLong(4), row.getLong(5)));
            }
        }
        boolean more = limit > 0 && items.size() > limit;
        return new ListResult(List.copyOf(more ? items.subList(0, limit) : items), at, more);
    }

    @Override
    public long count(String prefix, long revision, String startAfterKey) {
        if (revision < 0) {
            throw new InvalidInputException("revision must not be negative");
        }
        KeyRange range = KeyRange.prefix(prefix);
        Row row = Pg.await(
                        pool.preparedQuery(Sql.COUNT)
                                .execute(Tuple.of(range.start(), range.end(), revision, startAfterKey)),
                        target)
                .iterator()
                .next();
        checkRevision(row);
        return row.getLong(3);
    }

    /** Columns 0-2 of LIST and COUNT: current, compacted and requested revision. Answers the requested one. */
    private static long checkRevision(Row row) {
        long current = row.getLong(0);
        long compacted = row.getLong(1);
        long at = row.getLong(2);
        if (at > current) {
            throw new FutureRevisionException(at, current);
        }
        if (at < compacted) {
            throw new CompactedException(at, compacted);
        }
        return at;
    }

    @Override
    public long create(String key, byte[] value) {
        checkKey(key);
        checkValue(key, value);
        WriteBatcher.Outcome outcome = write(WriteBatcher.CREATE, key, value, 0);
        if (!outcome.ok()) {
            throw new KeyExistsException(stored(key, outcome));
        }
        return outcome.revision();
    }

    @Override
    public long update(String key, byte[] value, long expectedRevision) {
        checkKey(key);
        checkValue(key, value);
        WriteBatcher.Outcome outcome = write(WriteBatcher.UPDATE, key, value, expectedRevision);
        if (!outcome.ok()) {
            throw failedCondition(key, outcome, expectedRevision);
        }
        return outcome.revision();
    }

    @Override
    public Deleted delete(String key, long expectedRevision) {
        checkKey(key);
        WriteBatcher.Outcome outcome = write(WriteBatcher.DELETE, key, null, expectedRevision);
        if (!outcome.ok()) {
            throw failedCondition(key, outcome, expectedRevision);
        }
        return new Deleted(stored(key, outcome), outcome.revision());
    }

    private WriteBatcher.Outcome write(int op, String key, byte[] value, long expected) {
        return Pg.await(batcher.submit(op, key, value, expected), target);
    }

    private static KeyValue stored(String key, WriteBatcher.Outcome outcome) {
        return new KeyValue(key, outcome.value(), outcome.createRevision(), outcome.modRevision());
    }

    private static RuntimeException failedCondition(String key, WriteBatcher.Outcome outcome, long expected) {
        if (outcome.modRevision() == 0) {
            return new KeyNotFoundException(key);
        }
        return new ConflictException(stored(key, outcome), expected);
    }

    @Override
    public Watch watch(String prefix, long fromRevision) {
        if (fromRevision < 0) {
            throw new InvalidInputException("a watch revision must not be negative");
        }
        Subscription subscription = hub.subscribe(prefix, fromRevision);
        // As etcd does: a watch from below the compaction mark is expired, even if the events it needs happen to
        // be still on their way through this process.
        if (fromRevision > 0) {
            long compacted = compactRevision();
            if (fromRevision < compacted) {
                subscription.close();
                return new ExpiredWatch(fromRevision, compacted);
            }
        }
        return subscription;
    }

    @Override
    public long currentRevision() {
        return revisions()[0];
    }

    @Override
    public long compactRevision() {
        return revisions()[1];
    }

    private long[] revisions() {
        Row row =
                Pg.await(pool.query(Sql.REVISIONS).execute(), target).iterator().next();
        return new long[] {row.getLong(0), row.getLong(1)};
    }

    @Override
    public void compact(long revision) {
        long[] before = revisions();
        if (revision > before[0]) {
            throw new FutureRevisionException(revision, before[0]);
        }
        if (revision <= before[1]) {
            return;
        }
        // The mark moves first, in its own short transaction: readers check it in the same snapshot as the
        // rows they read, so they report Expired rather than see a half-trimmed log.
        Pg.await(pool.preparedQuery(Sql.MARK_COMPACTED).execute(Tuple.of(revision)), target);
        for (long lo = before[1]; lo < revision; lo += TRIM_CHUNK) {
            long hi = Math.min(revision, lo + TRIM_CHUNK);
            Pg.await(pool.preparedQuery(Sql.TRIM_LOG).execute(Tuple.of(lo, hi)), target);
        }
    }

    private LogPage readLog(String keyStart, String keyEnd, long after, long upTo, int limit) {
        RowSet<Row> rows = Pg.await(
                pool.preparedQuery(Sql.READ_LOG).execute(Tuple.of(after, upTo, keyStart, keyEnd, limit)), target);
        List<WatchEvent.Change> changes = new ArrayList<>(rows.size());
        long compacted = 0;
        for (Row row : rows) {
            compacted = row.getLong(0);
            if (row.getLong(1) != null) {
                changes.add(Rows.change(row));
            }
        }
        return new LogPage(compacted, changes);
    }

    /** Watchers currently registered in this process. */
    public int watcherCount() {
        return hub.size();
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInputException("a key must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == 0 || c == '\uFFFF' || Character.isSurrogate(c)) {
                throw new InvalidInputException("key " + key.replace('\0', '?')
                        + " contains a character keys may not hold (NUL, U+FFFF or one above U+FFFF)");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidInputException(
                    "key of " + bytes + " bytes is too long; the limit is " + MAX_KEY_BYTES + " bytes");
        }
    }

    private static void checkValue(String key, byte[] value) {
        if (value == null) {
            throw new InvalidInputException("the value for key " + key + " must not be null");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidInputException("the value for key " + key + " is " + value.length + " bytes; the limit is "
                    + MAX_VALUE_BYTES + " bytes (1.5 MiB)");
        }
    }

    @Override
    public void close() {
        compactor.close();
        reader.close();
        hub.endAll(new WatchEvent.Closed("the store is closed"), 0, true);
        Pg.await(pool.close(), target);
        if (embedded != null) {
            embedded.stop();
        }
    }
}
