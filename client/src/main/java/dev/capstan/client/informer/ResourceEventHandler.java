package dev.capstan.client.informer;

/**
 * What an informer tells its handlers, in the order the changes happened, one handler at a time on a thread of
 * its own. Handlers should only enqueue keys: the cache already holds the new state when they run.
 */
public interface ResourceEventHandler<T> {
    void onAdd(T object);

    /** Also called with {@code oldObject == newObject}'s equal on every resync. */
    void onUpdate(T oldObject, T newObject);

    /** {@code lastKnown} is the object's last state the informer saw (after a relist, possibly not its final one). */
    void onDelete(T lastKnown);

    /** A handler that calls {@code action} with the object for every add, update (new state) and delete. */
    static <T> ResourceEventHandler<T> onAny(java.util.function.Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                action.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                action.accept(newObject);
            }

            @Override
            public void onDelete(T lastKnown) {
                action.accept(lastKnown);
            }
        };
    }
}
