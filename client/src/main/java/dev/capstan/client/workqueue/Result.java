package dev.capstan.client.workqueue;

import java.time.Duration;
import java.util.Objects;

/** What a {@link Reconciler} answers: {@link #DONE}, or to look at the key again after a delay. */
public sealed interface Result {
    /** Reconciled: the key's back-off is forgotten and it is processed again only when added again. */
    Result DONE = new Done();

    /** Reconciled for now, look again after {@code delay}: the back-off is forgotten and the key added then. */
    static Result requeueAfter(Duration delay) {
        return new RequeueAfter(delay);
    }

    record Done() implements Result {}

    record RequeueAfter(Duration delay) implements Result {
        public RequeueAfter {
            Objects.requireNonNull(delay, "delay");
        }
    }
}
