package dev.capstan.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * An object as one watch event carries it, shared by every watcher that receives the event: its tree is decoded
 * once and its JSON watch line encoded once, however many watchers send it.
 */
public final class WatchObject {
    private final CachedObject object;
    /**
     * An earlier event's object of the same stored version (served then at its own revision), whose decoded tree
     * answers selectors for this one: a change's previous object is the last change's current one.
     */
    private final WatchObject sameVersion;

    private ObjectNode tree;
    private String lineType;
    private byte[] line;

    WatchObject(CachedObject object) {
        this(object, null);
    }

    WatchObject(CachedObject object, WatchObject sameVersion) {
        this.object = object;
        this.sameVersion = sameVersion;
    }

    /** An object of a cache snapshot as a watch sends it. */
    public static WatchObject of(CachedObject object) {
        return new WatchObject(object);
    }

    /** A watch object for a tree the server made itself, such as a bookmark or an error Status. */
    public static WatchObject of(ObjectNode served) {
        WatchObject object = new WatchObject(CachedObject.of(served));
        object.tree = served;
        return object;
    }

    /** The object decoded, shared by all watchers of the event: read it, never change it. */
    public synchronized ObjectNode tree() {
        if (tree == null) {
            tree = object.tree();
        }
        return tree;
    }

    /**
     * A tree to match selectors against: the same object as {@link #tree()} but for its resourceVersion, which no
     * selector reads. Decoded once for both events when this is a change's previous object.
     */
    public ObjectNode selectable() {
        return sameVersion != null ? sameVersion.tree() : tree();
    }

    /** The served JSON, shared: never change the array. */
    public byte[] json() {
        return object.json();
    }

    public String resourceVersion() {
        return object.revision() > 0
                ? Long.toString(object.revision())
                : tree().path("metadata").path("resourceVersion").asText("");
    }

    /** {@code {"type":T,"object":…}}, as a JSON watch stream sends one event; made once per event type. */
    public synchronized byte[] line(String eventType) {
        if (!eventType.equals(lineType)) {
            byte[] head = ("{\"type\":\"" + eventType + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
            byte[] body = object.json();
            byte[] out = new byte[head.length + body.length + 1];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(body, 0, out, head.length, body.length);
            out[out.length - 1] = '}';
            lineType = eventType;
            line = out;
        }
        return line;
    }
}
