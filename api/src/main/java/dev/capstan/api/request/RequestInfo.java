package dev.capstan.api.request;

/**
 * What a request asks for, as upstream's {@code RequestInfo}: for a resource request the verb, group, version,
 * resource, subresource, namespace and name; for anything else ({@code /apis}, {@code /openapi/v3}) the path and
 * the lowercase HTTP method as its verb.
 *
 * @param verb the Kubernetes verb ("get", "list", "create", "deletecollection"...)
 * @param namespace null for cluster-scoped requests and for lists across namespaces
 * @param name null for collection requests
 * @param subresource "" when none
 */
public record RequestInfo(
        boolean resourceRequest,
        String path,
        String verb,
        String group,
        String version,
        String resource,
        String subresource,
        String namespace,
        String name) {

    public static RequestInfo nonResource(String path, String method) {
        return new RequestInfo(false, path, method.toLowerCase(java.util.Locale.ROOT), "", "", "", "", null, null);
    }

    public static RequestInfo resource(
            String path,
            Verb verb,
            String group,
            String version,
            String resource,
            String subresource,
            String namespace,
            String name) {
        return new RequestInfo(
                true,
                path,
                verb.value(),
                group,
                version,
                resource,
                subresource == null ? "" : subresource,
                namespace,
                name);
    }
}
