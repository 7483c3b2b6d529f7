package dev.capstan.api.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An object as read from the store: its JSON (with resourceVersion set) and the revision it was written at. */
public record StoredObject(ObjectNode object, long revision) {}
