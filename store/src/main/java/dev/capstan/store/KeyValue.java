package dev.capstan.store;

import java.util.Arrays;

/**
 * A key's value at one revision. {@code createRevision} is the revision that created the key; {@code
 * modRevision} the one that last wrote it, which is the object's {@code resourceVersion}.
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other
                && key.equals(other.key)
                && createRevision == other.createRevision
                && modRevision == other.modRevision
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + "@" + modRevision + " (created " + createRevision + "), " + value.length + " bytes]";
    }
}
