package dev.capstan.api.admission;

/** What a write does to its object, as upstream's admission.Operation. */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    CONNECT
}
