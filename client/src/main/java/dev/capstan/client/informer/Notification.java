package dev.capstan.client.informer;

/** A change on its way to one handler. */
sealed interface Notification<T> {
    record Added<T>(T object) implements Notification<T> {}

    record Updated<T>(T oldObject, T newObject) implements Notification<T> {}

    record Deleted<T>(T lastKnown) implements Notification<T> {}
}
