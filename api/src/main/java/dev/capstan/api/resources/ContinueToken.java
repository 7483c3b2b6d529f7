package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.util.Base64;

/**
 * The opaque continue token of a paginated list: the revision the list reads at, the last key returned, and the
 * number of items after it (-1 when not counted, as with selectors). A negative revision reads the current state,
 * as upstream's inconsistent continuation does.
 */
record ContinueToken(long revision, String startAfterKey, long remaining) {

    String encode() {
        ObjectNode token = Json.object()
                .put("v", "meta.k8s.io/v1")
                .put("rv", revision)
                .put("start", startAfterKey)
                .put("remaining", remaining);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(token));
    }

    /**
     * Reads a token as apiserver's storage.DecodeContinue does, with its errors answered 400 as the etcd store
     * answers them ({@code invalid continue token: continue key is not valid…}).
     */
    static ContinueToken decode(String text) {
        int illegal = firstIllegalBase64(text);
        if (illegal >= 0) {
            throw invalid(": illegal base64 data at input byte " + illegal);
        }
        ObjectNode token;
        try {
            token = Json.parseObject(Base64.getUrlDecoder().decode(text));
        } catch (ApiException e) {
            throw invalid(": " + e.getMessage());
        }
        String version = token.path("v").asText("");
        if (!version.equals("meta.k8s.io/v1")) {
            throw invalid(": server does not recognize this encoded version " + version);
        }
        JsonNode rv = token.path("rv");
        if (!rv.canConvertToLong() || rv.asLong() == 0) {
            throw invalid(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        String start = token.path("start").asText("");
        if (start.isEmpty()) {
            throw invalid(": encoded start key empty (version meta.k8s.io/v1)");
        }
        if (!storableKey(start)) {
            throw invalid(": " + start);
        }
        return new ContinueToken(
                Math.max(0, rv.asLong()), start, token.path("remaining").asLong(-1));
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid continue token: continue key is not valid" + detail);
    }

    /** Where Go's RawURLEncoding stops: the first byte outside the alphabet, or a length no encoding has. */
    private static int firstIllegalBase64(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return i;
            }
        }
        return text.length() % 4 == 1 ? text.length() - 1 : -1;
    }

    /**
     * A key the list may start after: clean (upstream refuses path traversal the same way) and free of what the
     * store's keys cannot hold (NUL, U+FFFF, supplementary characters), which would otherwise fail in the database.
     */
    private static boolean storableKey(String key) {
        if (!key.startsWith("/")
                || key.endsWith("/")
                || key.contains("//")
                || key.contains("/./")
                || key.contains("/../")
                || key.endsWith("/.")
                || key.endsWith("/..")) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == 0 || c == '\uffff' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
