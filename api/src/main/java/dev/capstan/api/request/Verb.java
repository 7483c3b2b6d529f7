package dev.capstan.api.request;

import java.util.Locale;

/** The Kubernetes API verbs an authorizer sees (upstream's RequestInfo.Verb). */
public enum Verb {
    GET,
    LIST,
    WATCH,
    CREATE,
    UPDATE,
    PATCH,
    DELETE,
    DELETECOLLECTION;

    /** The verb as upstream spells it: "get", "deletecollection". */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isWrite() {
        return this != GET && this != LIST && this != WATCH;
    }
}
