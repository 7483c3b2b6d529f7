package dev.capstan.client;

/** One change seen by a watch; an ERROR event from the server ends the stream with an {@link ApiError} instead. */
public sealed interface WatchEvent<T> {
    /** The revision the event brings the watcher to. */
    String resourceVersion();

    record Added<T>(T object, String resourceVersion) implements WatchEvent<T> {}

    record Modified<T>(T object, String resourceVersion) implements WatchEvent<T> {}

    /** {@code object} is the object's last state, at the revision of its deletion. */
    record Deleted<T>(T object, String resourceVersion) implements WatchEvent<T> {}

    /** Every change up to {@code resourceVersion} has been sent. */
    record Bookmark<T>(String resourceVersion) implements WatchEvent<T> {}
}
