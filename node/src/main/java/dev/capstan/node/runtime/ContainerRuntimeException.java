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
    /** The gRPC code as Go spells it ("Unknown", "NotFound"), when the runtime itself answered with an error. */
    private final String rpcCode;
    /** The runtime's own description of that error. */
    private final String runtimeDetail;

    public ContainerRuntimeException(Reason reason, String message, Throwable cause) {
        this(reason, message, null, null, cause);
    }

    /**
     * A call the runtime answered with an error: {@code message} says which call and where (for the agent's log),
     * {@code rpcCode} and {@code runtimeDetail} are what the runtime said (for what users see, as kubelet shows it).
     */
    public ContainerRuntimeException(
            Reason reason, String message, String rpcCode, String runtimeDetail, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.rpcCode = rpcCode;
        this.runtimeDetail = runtimeDetail;
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

    /**
     * The runtime's own words, as kubelet puts them in a pod's events and its CreateContainerError ({@code Error:
     * failed to create containerd task: …}); this exception's message when the runtime did not answer.
     */
    public String runtimeMessage() {
        return runtimeDetail == null ? getMessage() : runtimeDetail;
    }

    /**
     * The error as Go's gRPC prints it, as kubelet shows a failed pull ({@code rpc error: code = Unknown desc = failed
     * to pull and unpack image …}); this exception's message when the runtime did not answer.
     */
    public String rpcError() {
        return rpcCode == null ? getMessage() : "rpc error: code = " + rpcCode + " desc = " + runtimeMessage();
    }
}
