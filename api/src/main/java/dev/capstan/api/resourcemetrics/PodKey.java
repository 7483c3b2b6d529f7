package dev.capstan.api.resourcemetrics;

/** A pod by namespace and name, as metrics are labelled. */
public record PodKey(String namespace, String name) implements Comparable<PodKey> {

    @Override
    public int compareTo(PodKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
