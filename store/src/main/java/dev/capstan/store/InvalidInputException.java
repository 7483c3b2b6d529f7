package dev.capstan.store;

/** A key or value the store refuses, such as one over the size limit; nothing was written. */
public final class InvalidInputException extends StoreException {
    public InvalidInputException(String message) {
        super(message);
    }
}
