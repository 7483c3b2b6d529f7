package dev.capstan.store;

/** A read asked for a revision older than the compacted one; the API answers 410 Gone. */
public final class CompactedException extends StoreException {
    private final long requestedRevision;
    private final long compactRevision;

    public CompactedException(long requestedRevision, long compactRevision) {
        super("revision " + requestedRevision + " has been compacted (compacted up to " + compactRevision + ")");
        this.requestedRevision = requestedRevision;
        this.compactRevision = compactRevision;
    }

    public long requestedRevision() {
        return requestedRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
