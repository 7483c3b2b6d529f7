package dev.capstan.api.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where watch events go; {@code send} answers false once the client is gone. */
public interface EventSink {
    boolean send(String type, ObjectNode object);
}
