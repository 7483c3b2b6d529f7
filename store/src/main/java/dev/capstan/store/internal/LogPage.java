package dev.capstan.store.internal;

import dev.capstan.store.WatchEvent;
import java.util.List;

/** Change-log rows read in one snapshot, with the compaction mark of that snapshot. */
record LogPage(long compactRevision, List<WatchEvent.Change> changes) {

    /** Reads change-log pages; {@code keyEnd} is exclusive, {@code upTo} inclusive. */
    interface Reader {
        LogPage read(String keyStart, String keyEnd, long after, long upTo, int limit);
    }
}
