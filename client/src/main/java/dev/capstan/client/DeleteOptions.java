package dev.capstan.client;

/**
 * The options of a delete, as the REST API's DeleteOptions.
 *
 * @param propagationPolicy "Background", "Foreground", "Orphan", or "" for the kind's default
 * @param gracePeriodSeconds null for the object's own default
 * @param uid when set, delete only if the object still has this uid
 * @param resourceVersion when set, delete only if the object is still at this revision
 */
public record DeleteOptions(
        String propagationPolicy, Long gracePeriodSeconds, String uid, String resourceVersion, boolean dryRun) {
    public static final DeleteOptions DEFAULT = new DeleteOptions("", null, "", "", false);

    public static DeleteOptions propagation(String policy) {
        return new DeleteOptions(policy, null, "", "", false);
    }

    /** Deletes only the object with this uid: a namesake created since is left alone. */
    public static DeleteOptions preconditionUid(String uid) {
        return new DeleteOptions("", null, uid, "", false);
    }

    public DeleteOptions withGracePeriod(long seconds) {
        return new DeleteOptions(propagationPolicy, seconds, uid, resourceVersion, dryRun);
    }

    public DeleteOptions withPropagation(String policy) {
        return new DeleteOptions(policy, gracePeriodSeconds, uid, resourceVersion, dryRun);
    }
}
