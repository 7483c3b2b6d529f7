package dev.capstan.store.internal;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers concurrent writes into shared transactions. While a batch is committing, new writes queue up; when a
 * batch slot frees, everything queued (up to the batch size) goes out as one call of capstan_write. So under
 * load a commit, and its fsync, is paid once per batch instead of once per write, and with no load a write
 * goes out at once.
 */
final class WriteBatcher {
    static final int CREATE = 1;
    static final int UPDATE = 2;
    static final int DELETE = 3;

    /** One write's outcome; on a failed condition {@code revision} is 0 and the rest describe what is stored. */
    record Outcome(boolean ok, long revision, long createRevision, long modRevision, byte[] value) {}

    private record Pending(int op, String key, byte[] value, long expected, CompletableFuture<Outcome> result) {}

    private static final Buffer NO_VALUE = Buffer.buffer();

    private final Pool pool;
    private final int maxBatch;
    private final int maxInFlight;
    private final Runnable afterCommit;
    private final String target;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    WriteBatcher(Pool pool, int maxBatch, int maxInFlight, Runnable afterCommit, String target) {
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.afterCommit = afterCommit;
        this.target = target;
    }

    CompletableFuture<Outcome> submit(int op, String key, byte[] value, long expected) {
        var pending = new Pending(op, key, value, expected, new CompletableFuture<>());
        synchronized (queue) {
            queue.add(pending);
        }
        sendWhileSlotsFree();
        return pending.result;
    }

    private void sendWhileSlotsFree() {
        while (true) {
            List<Pending> batch;
            synchronized (queue) {
                if (queue.isEmpty() || inFlight >= maxInFlight) {
                    return;
                }
                int size = Math.min(queue.size(), maxBatch);
                batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(queue.poll());
                }
                inFlight++;
            }
            send(batch);
        }
    }

    private void send(List<Pending> batch) {
        int n = batch.size();
        Integer[] ops = new Integer[n];
        String[] keys = new String[n];
        Buffer[] values = new Buffer[n];
        Long[] expected = new Long[n];
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            ops[i] = p.op;
            keys[i] = p.key;
            values[i] = p.value == null ? NO_VALUE : Buffer.buffer(p.value);
            expected[i] = p.expected;
        }
        pool.preparedQuery(Sql.WRITE)
                .execute(Tuple.of(ops, keys, values, expected))
                .onComplete(result -> complete(batch, result));
    }

    private void complete(List<Pending> batch, AsyncResult<RowSet<Row>> result) {
        synchronized (queue) {
            inFlight--;
        }
        if (result.succeeded()) {
            afterCommit.run();
            int i = 0;
            for (Row row : result.result()) {
                batch.get(i++).result.complete(outcome(row));
            }
            if (i != batch.size()) {
                var wrong = new IllegalStateException("capstan_write answered " + i + " rows for " + batch.size());
                batch.subList(i, batch.size()).forEach(p -> p.result.completeExceptionally(wrong));
            }
        } else {
            RuntimeException failure = Pg.translate(result.cause(), target);
            batch.forEach(p -> p.result.completeExceptionally(failure));
        }
        sendWhileSlotsFree();
    }

    private static Outcome outcome(Row row) {
        boolean ok = row.getBoolean(0);
        Long revision = row.getLong(1);
        Long createRevision = row.getLong(2);
        Long modRevision = row.getLong(3);
        return new Outcome(
                ok,
                revision == null ? 0 : revision,
                createRevision == null ? 0 : createRevision,
                modRevision == null ? 0 : modRevision,
                Rows.bytes(row.getBuffer(4)));
    }
}
