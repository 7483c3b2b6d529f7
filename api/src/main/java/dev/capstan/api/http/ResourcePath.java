package dev.capstan.api.http;

import java.util.List;

/**
 * A parsed resource URL: {@code /api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]]} or the same under
 * {@code /apis/GROUP/VERSION}. {@code /api/v1/namespaces/NAME[/SUB]} is the namespace resource itself.
 */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

    /** Parses {@code path}; null when it is not a resource URL (discovery and health are routed before). */
    static ResourcePath parse(String path) {
        List<String> s = segments(path);
        int i;
        String group;
        String version;
        if (s.size() >= 3 && s.get(0).equals("api")) {
            group = "";
            version = s.get(1);
            i = 2;
        } else if (s.size() >= 4 && s.get(0).equals("apis")) {
            group = s.get(1);
            version = s.get(2);
            i = 3;
        } else {
            return null;
        }
        List<String> rest = s.subList(i, s.size());
        boolean namespaceSubresource = rest.size() == 3
                && rest.get(0).equals("namespaces")
                && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
        if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceSubresource) {
            // namespaces/NS/PLURAL[/NAME[/SUB]]
            return of(group, version, rest.get(1), rest.subList(2, rest.size()));
        }
        return of(group, version, null, rest);
    }

    private static ResourcePath of(String group, String version, String namespace, List<String> rest) {
        if (rest.isEmpty() || rest.size() > 3) {
            return null;
        }
        return new ResourcePath(
                group,
                version,
                namespace,
                rest.get(0),
                rest.size() > 1 ? rest.get(1) : null,
                rest.size() > 2 ? rest.get(2) : null);
    }

    /** The decoded segments of a raw path; a malformed escape is a 400. */
    static List<String> segments(String path) {
        return UrlDecoding.segments(path);
    }
}
