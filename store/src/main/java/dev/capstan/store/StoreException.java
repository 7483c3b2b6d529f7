package dev.capstan.store;

/** The base of every error the store reports. */
public abstract class StoreException extends RuntimeException {
    protected StoreException(String message) {
        super(message);
    }

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
