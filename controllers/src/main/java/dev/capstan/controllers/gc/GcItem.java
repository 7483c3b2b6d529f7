package dev.capstan.controllers.gc;

/**
 * A key of the garbage collector's queue: upstream's attemptToDelete and attemptToOrphan queues folded into one, so
 * that the controller manager wires it like every other controller; the queue still never hands one (action, uid) to
 * two workers at once. {@link #RESYNC} re-discovers the served kinds.
 *
 * @param uid the object's (or, for a virtual node, the absent owner's) uid; "" for {@link #RESYNC}
 */
public record GcItem(Action action, String uid) {
    public static final GcItem RESYNC = new GcItem(Action.RESYNC, "");

    public enum Action {
        /** upstream's attemptToDelete: delete the object if its owners are gone, finish foreground deletion */
        DELETE,
        /** upstream's attemptToOrphan: strip the owner from its dependents, then its orphan finalizer */
        ORPHAN,
        /** discover the served kinds again and watch the new ones */
        RESYNC
    }

    public static GcItem delete(String uid) {
        return new GcItem(Action.DELETE, uid);
    }

    public static GcItem orphan(String uid) {
        return new GcItem(Action.ORPHAN, uid);
    }
}
