package dev.capstan.store;

/** A create found the key already present; {@link #current()} is what is stored. */
public final class KeyExistsException extends StoreException {
    private final transient KeyValue current;

    public KeyExistsException(KeyValue current) {
        super("key " + current.key() + " already exists (revision " + current.modRevision() + ")");
        this.current = current;
    }

    public KeyValue current() {
        return current;
    }
}
