package dev.capstan.scheduler.framework;

/** A plugin could not compute its answer (upstream's framework.Error status from Score or an internal failure). */
public final class SchedulingException extends RuntimeException {
    public SchedulingException(String message) {
        super(message);
    }
}
