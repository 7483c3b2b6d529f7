package dev.capstan.api.http;

import java.util.List;

/**
 * An API group-version served without storage (not in the ResourceRegistry), whose resources discovery still lists:
 * metrics.k8s.io, which kube-apiserver would proxy to metrics-server.
 */
record ServedGroup(String group, String version, List<Resource> resources) {

    /** @param singular "" where the serving component names none (metrics-server's GetSingularName) */
    record Resource(String plural, String singular, String kind, boolean namespaced, List<String> verbs) {}

    String groupVersion() {
        return group + "/" + version;
    }
}
