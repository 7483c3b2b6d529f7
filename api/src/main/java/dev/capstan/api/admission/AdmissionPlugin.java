package dev.capstan.api.admission;

/**
 * One admission plugin. A plugin refuses a request by throwing an {@link dev.capstan.api.ApiException} (usually a
 * 403 Forbidden or 404 NotFound, as upstream's plugins answer); it must never write to the store itself, since a
 * dry-run request passes through it too.
 */
public interface AdmissionPlugin {
    /** The plugin's name, as in upstream's --enable-admission-plugins. */
    String name();

    /** Whether the plugin acts on this operation at all. */
    boolean handles(Operation operation);

    /** Changes the object before the kind's strategy runs; the default changes nothing. */
    default void admit(AdmissionRequest request) {}

    /** Checks the object after the kind's strategy has prepared and validated it; the default accepts. */
    default void validate(AdmissionRequest request) {}
}
