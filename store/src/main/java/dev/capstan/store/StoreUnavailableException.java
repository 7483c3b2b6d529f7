package dev.capstan.store;

/**
 * PostgreSQL could not be reached or the connection broke. For a write, the outcome is unknown: it may or may
 * not have been committed; read the key to find out. The store keeps reconnecting in the background.
 */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
