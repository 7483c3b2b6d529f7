package dev.capstan.controllers.gc;

/**
 * Where an object of the graph lives: upstream's objectReference (an ownerReference's coordinates and a namespace).
 * For a virtual node, the coordinates a dependent gave for its owner, with the dependent's namespace.
 */
record Identity(String apiVersion, String kind, String namespace, String name) {
    @Override
    public String toString() {
        return apiVersion + "/" + kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
