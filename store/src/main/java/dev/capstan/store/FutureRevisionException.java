package dev.capstan.store;

/** A read asked for a revision that has not been written yet. */
public final class FutureRevisionException extends StoreException {
    public FutureRevisionException(long requestedRevision, long currentRevision) {
        super("revision " + requestedRevision + " is newer than the current revision " + currentRevision);
    }
}
