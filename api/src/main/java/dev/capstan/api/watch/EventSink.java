package dev.capstan.api.watch;

import dev.capstan.api.cache.WatchObject;

/** Where watch events go; {@code send} answers false once the client is gone. */
public interface EventSink {
    boolean send(String type, WatchObject object);
}
