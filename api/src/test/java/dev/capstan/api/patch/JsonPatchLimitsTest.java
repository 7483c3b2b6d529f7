package dev.capstan.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The bounds kube-apiserver puts on a JSON patch, and the size measure the copy limit uses. */
class JsonPatchLimitsTest {
    private static final ObjectNode TARGET = Json.parseObject(
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}"
                    .getBytes(StandardCharsets.UTF_8));

    private static ObjectNode apply(String patch) {
        return Patches.apply(Patches.JSON_PATCH, TARGET, patch.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertStatus(ThrowingCallable call, int code, String reason, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status().path("reason").asText()).isEqualTo(reason);
            assertThat(e.status().path("message").asText()).isEqualTo(message);
        });
    }

    @Test
    void doublingCopiesStopAtTheAccumulatedCopyLimit() {
        StringBuilder patch =
                new StringBuilder("[{\"op\":\"add\",\"path\":\"/data/k\",\"value\":\"" + "x".repeat(40) + "\"}");
        for (int i = 0; i < 24; i++) {
            patch.append(",{\"op\":\"copy\",\"from\":\"/metadata\",\"path\":\"/metadata/m")
                    .append(i)
                    .append("\"}");
        }
        long start = System.nanoTime();
        assertStatus(
                () -> apply(patch.append(']').toString()),
                422,
                "Invalid",
                "the server rejected our request due to an error in our request");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2_000);
    }

    @Test
    void copiesUpToTheLimitStillApply() {
        String value = "x".repeat(1024 * 1024);
        ObjectNode result = apply("[{\"op\":\"add\",\"path\":\"/data/a\",\"value\":\"" + value + "\"},"
                + "{\"op\":\"copy\",\"from\":\"/data/a\",\"path\":\"/data/b\"},"
                + "{\"op\":\"copy\",\"from\":\"/data/a\",\"path\":\"/data/c\"}]");
        assertThat(result.path("data").path("c").asText()).hasSize(value.length());
        assertStatus(
                () -> apply("[{\"op\":\"add\",\"path\":\"/data/a\",\"value\":\"" + value + "\"},"
                        + "{\"op\":\"copy\",\"from\":\"/data/a\",\"path\":\"/data/b\"},"
                        + "{\"op\":\"copy\",\"from\":\"/data/a\",\"path\":\"/data/c\"},"
                        + "{\"op\":\"copy\",\"from\":\"/data/a\",\"path\":\"/data/d\"}]"),
                422,
                "Invalid",
                "the server rejected our request due to an error in our request");
    }

    @Test
    void moreThanTenThousandOperationsAreTooLarge() {
        String op = "{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"ConfigMap\"}";
        assertThat(apply("[" + String.join(",", java.util.Collections.nCopies(10_000, op)) + "]"))
                .isEqualTo(TARGET);
        assertStatus(
                () -> apply("[" + String.join(",", java.util.Collections.nCopies(10_001, op)) + "]"),
                413,
                "RequestEntityTooLarge",
                "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
    }

    @Test
    void aResultNestedDeeperThanBodiesMayIsRefused() {
        String deep = "{\"a\":".repeat(900) + "1" + "}".repeat(900);
        String path = "/a".repeat(899);
        assertStatus(
                () -> apply("[{\"op\":\"add\",\"path\":\"/a\",\"value\":" + deep + "},{\"op\":\"add\",\"path\":\""
                        + path + "\",\"value\":" + deep + "}]"),
                422,
                "Invalid",
                "the patched object nests deeper than 1000 levels");
    }

    @Test
    void sizeIsTheCompactJsonLength() {
        JsonNode node = Json.parseObject(
                "{\"a\":[1,true,null,\"é\",{\"b\":-2.5}],\"c\":{},\"d\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(JsonSize.of(node, Long.MAX_VALUE)).isEqualTo(Json.bytes(node).length);
        ArrayNode big = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 100_000; i++) {
            big.add("0123456789");
        }
        assertThat(JsonSize.of(big, 1000)).as("known to pass the cap").isGreaterThan(1000L);
    }
}
