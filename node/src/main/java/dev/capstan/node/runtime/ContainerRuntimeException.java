package dev.capstan.node.runtime;

/** A container runtime call that failed; the message says which call, on what, and why. */
public class ContainerRuntimeException extends RuntimeException {

    /** Why a call failed, so callers can tell "gone" (often fine to ignore) from "broken". */
    public enum Reason {
        /** The runtime is not reachable: no socket, or nothing listening on it. */
        UNAVAILABLE,
        /** The sandbox, container or image named in the call does not exist. */
        NOT_FOUND,
        /** The call did not finish within its deadline. */
        DEADLINE_EXCEEDED,
        /** Anything else the runtime refused or failed at. */
        FAILED
    }

    private final Reason reason;

    public ContainerRuntimeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ContainerRuntimeException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    public boolean isNotFound() {
        return reason == Reason.NOT_FOUND;
    }
}
