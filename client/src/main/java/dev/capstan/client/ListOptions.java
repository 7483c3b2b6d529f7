package dev.capstan.client;

/**
 * What a list or watch selects, as the REST API's query parameters.
 *
 * @param resourceVersion "" for a consistent read, "0" for any, otherwise not older than it
 * @param limit 0 for no limit
 */
public record ListOptions(
        String labelSelector, String fieldSelector, int limit, String continueToken, String resourceVersion) {
    public static final ListOptions ALL = new ListOptions("", "", 0, "", "");

    public static ListOptions labels(String selector) {
        return new ListOptions(selector, "", 0, "", "");
    }

    public static ListOptions fields(String selector) {
        return new ListOptions("", selector, 0, "", "");
    }

    public ListOptions withResourceVersion(String rv) {
        return new ListOptions(labelSelector, fieldSelector, limit, continueToken, rv);
    }

    public ListOptions withPage(int pageLimit, String token) {
        return new ListOptions(labelSelector, fieldSelector, pageLimit, token, resourceVersion);
    }
}
