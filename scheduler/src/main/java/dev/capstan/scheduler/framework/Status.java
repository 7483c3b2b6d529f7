package dev.capstan.scheduler.framework;

import java.util.List;
import java.util.Objects;

/**
 * Upstream's framework.Status: a code, the reasons a node was rejected (each counted on its own in the FitError
 * message) and the plugin that returned it. {@link #SUCCESS} stands for upstream's nil status.
 */
public final class Status {
    /** Upstream's framework.Code, in its order. */
    public enum Code {
        SUCCESS,
        ERROR,
        UNSCHEDULABLE,
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        WAIT,
        SKIP,
        PENDING
    }

    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "");
    private static final Status SKIP = new Status(Code.SKIP, List.of(), "");

    private final Code code;
    private final List<String> reasons;
    private final String plugin;

    private Status(Code code, List<String> reasons, String plugin) {
        this.code = code;
        this.reasons = reasons;
        this.plugin = plugin;
    }

    public static Status of(Code code, String... reasons) {
        return new Status(code, List.of(reasons), "");
    }

    public static Status unschedulable(String... reasons) {
        return of(Code.UNSCHEDULABLE, reasons);
    }

    /** Rejected on this node in a way preemption cannot help: the node is left out of preemption's candidates. */
    public static Status unresolvable(String... reasons) {
        return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
    }

    public static Status error(String message) {
        return of(Code.ERROR, message);
    }

    public static Status skip() {
        return SKIP;
    }

    public Code code() {
        return code;
    }

    public List<String> reasons() {
        return reasons;
    }

    /** The plugin that returned this status; "" when none is recorded. */
    public String plugin() {
        return plugin;
    }

    public Status withPlugin(String name) {
        return Objects.equals(name, plugin) ? this : new Status(code, reasons, name);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    /** Upstream's IsRejected: Unschedulable, UnschedulableAndUnresolvable or Pending. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
    }

    /** Upstream's Message: the reasons joined by ", ". */
    public String message() {
        return String.join(", ", reasons);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Status s && s.code == code && s.reasons.equals(reasons) && s.plugin.equals(plugin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, reasons, plugin);
    }

    @Override
    public String toString() {
        return code + (reasons.isEmpty() ? "" : " " + reasons) + (plugin.isEmpty() ? "" : " (" + plugin + ")");
    }
}
