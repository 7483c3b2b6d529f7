package dev.capstan.scheduler.framework;

/** A scheduler plugin: a name unique within a profile; it implements one or more extension-point interfaces. */
public interface Plugin {
    String name();
}
