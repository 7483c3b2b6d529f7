package dev.capstan.store;

/** An update or delete named a revision that is no longer current; {@link #current()} is what is stored. */
public final class ConflictException extends StoreException {
    private final transient KeyValue current;
    private final long expectedRevision;

    public ConflictException(KeyValue current, long expectedRevision) {
        super("key " + current.key() + " is at revision " + current.modRevision() + ", not " + expectedRevision);
        this.current = current;
        this.expectedRevision = expectedRevision;
    }

    public KeyValue current() {
        return current;
    }

    public long expectedRevision() {
        return expectedRevision;
    }
}
