package dev.capstan.store;

/**
 * What a {@link Watch} delivers: a change at one revision ({@link Created}, {@link Updated}, {@link Deleted}),
 * or the end of the stream ({@link Expired}, {@link Closed}). After an ending event the watch delivers nothing.
 */
public sealed interface WatchEvent {

    /** A change to one key at one revision. */
    sealed interface Change extends WatchEvent {
        long revision();

        String key();
    }

    /** The end of a watch. */
    sealed interface End extends WatchEvent {}

    record Created(KeyValue current) implements Change {
        @Override
        public long revision() {
            return current.modRevision();
        }

        @Override
        public String key() {
            return current.key();
        }
    }

    record Updated(KeyValue current, KeyValue previous) implements Change {
        @Override
        public long revision() {
            return current.modRevision();
        }

        @Override
        public String key() {
            return current.key();
        }
    }

    /** {@code previous} is the value the key had before this deletion. */
    record Deleted(KeyValue previous, long revision) implements Change {
        @Override
        public String key() {
            return previous.key();
        }
    }

    /**
     * The events the watch needed were compacted away: the caller must list again and watch from there. The API
     * turns this into 410 Gone.
     */
    record Expired(long requestedRevision, long compactRevision) implements End {}

    /** The watch was closed: by its owner, because it fell too far behind, or because the store closed. */
    record Closed(String reason) implements End {}
}
