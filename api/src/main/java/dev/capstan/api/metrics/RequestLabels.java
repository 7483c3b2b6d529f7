package dev.capstan.api.metrics;

/** The labels of one request in kube-apiserver's terms: verb in upper case (GET, LIST, CREATE, ...). */
public record RequestLabels(String verb, String group, String version, String resource, String subresource) {
    public static final RequestLabels NON_RESOURCE = new RequestLabels("GET", "", "", "", "");

    /** The Kubernetes verb of an HTTP method on a resource URL. */
    public static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET", "HEAD" -> watch ? "WATCH" : named ? "GET" : "LIST";
            case "POST" -> "CREATE";
            case "PUT" -> "UPDATE";
            case "PATCH" -> "PATCH";
            case "DELETE" -> named ? "DELETE" : "DELETECOLLECTION";
            default -> method;
        };
    }
}
