package dev.capstan.api.registry;

/**
 * What a strategy did before a write that it must undo if the write fails (upstream's BeginCreate/BeginUpdate
 * finish functions): a Service's cluster IP and node ports are claimed before it is stored and released again when
 * storing it fails.
 */
@FunctionalInterface
public interface WriteHook {
    WriteHook NONE = succeeded -> {};

    /** Called once the write has been stored ({@code true}) or has failed ({@code false}). */
    void finish(boolean succeeded);
}
