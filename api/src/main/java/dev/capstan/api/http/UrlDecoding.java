package dev.capstan.api.http;

import dev.capstan.api.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of a request's path and query as Go's net/url does it ({@code PathUnescape} keeps '+',
 * {@code QueryUnescape} reads it as a space), with a malformed escape a 400 worded as Go's {@code EscapeError}.
 *
 * <p>Upstream's HTTP server refuses a malformed path before kube-apiserver sees it, but its {@code URL.Query()}
 * silently drops a malformed query parameter: {@code ?labelSelector=%zz} would list, or delete, everything.
 * Capstan refuses both.
 */
final class UrlDecoding {
    private UrlDecoding() {}

    /** The path's non-empty segments, each decoded; an encoded '/' stays inside its segment. */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(unescape(part, false));
            }
        }
        return segments;
    }

    /** Every parameter of a raw query string, in order, each value decoded. */
    static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = unescape(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1), true);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    static String unescape(String text, boolean query) {
        if (text.indexOf('%') < 0 && !(query && text.indexOf('+') >= 0)) {
            return text;
        }
        var out = new ByteArrayOutputStream(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%') {
                int high = i + 1 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
                int low = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    String escape = new String(bytes, i, Math.min(3, bytes.length - i), StandardCharsets.UTF_8);
                    throw ApiException.badRequest("invalid URL escape \"" + escape + "\"");
                }
                out.write(high * 16 + low);
                i += 2;
            } else if (b == '+' && query) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
