package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque continue token of a paginated list: the revision the list reads at, the last key returned, and the
 * number of items after it (-1 when not counted, as with selectors).
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

    static ContinueToken decode(String text) {
        try {
            ObjectNode token = Json.parseObject(Base64.getUrlDecoder().decode(text));
            if (!token.path("v").asText().equals("meta.k8s.io/v1") || !token.has("rv")) {
                throw new IllegalArgumentException("unknown token version");
            }
            return new ContinueToken(
                    token.get("rv").asLong(),
                    token.path("start").asText(""),
                    token.path("remaining").asLong(-1));
        } catch (IllegalArgumentException | ApiException e) {
            throw ApiException.badRequest("continue key is not valid: "
                    + new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }
}
