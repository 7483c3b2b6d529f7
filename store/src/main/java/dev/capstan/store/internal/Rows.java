package dev.capstan.store.internal;

import dev.capstan.store.KeyValue;
import dev.capstan.store.WatchEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

/** Mapping of change-log rows to watch events. */
final class Rows {
    private Rows() {}

    /** A READ_LOG row, from column 1 on (column 0 is the compaction mark). */
    static WatchEvent.Change change(Row row) {
        long revision = row.getLong(1);
        String key = row.getString(2);
        long createRevision = row.getLong(3);
        long prevRevision = row.getLong(4);
        byte[] value = bytes(row.getBuffer(5));
        byte[] prevValue = bytes(row.getBuffer(6));
        if (prevRevision == 0) {
            return new WatchEvent.Created(new KeyValue(key, value, createRevision, revision));
        }
        KeyValue previous = new KeyValue(key, prevValue, createRevision, prevRevision);
        if (value == null) {
            return new WatchEvent.Deleted(previous, revision);
        }
        return new WatchEvent.Updated(new KeyValue(key, value, createRevision, revision), previous);
    }

    static byte[] bytes(Buffer buffer) {
        return buffer == null ? null : buffer.getBytes();
    }
}
