package dev.capstan.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link GenericStore#sameContent} decides whether an update writes at all. It must say what a write and a read back
 * would: each case is also checked against that round trip through the bytes.
 */
class SameContentTest {

    private static ObjectNode pod(Consumer<ObjectNode> edit) {
        ObjectNode pod = Json.object();
        pod.putObject("metadata").put("name", "web").put("generation", 2);
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Running");
        status.putArray("containerStatuses")
                .addObject()
                .put("name", "c")
                .put("restartCount", 0)
                .put("ready", true);
        edit.accept(pod);
        return pod;
    }

    private static boolean roundTripEqual(ObjectNode a, ObjectNode b) {
        return Json.readStored(Json.bytes(a)).equals(Json.readStored(Json.bytes(b)));
    }

    private static void check(ObjectNode a, ObjectNode b, boolean same) {
        assertThat(roundTripEqual(a, b)).as("the round trip").isEqualTo(same);
        assertThat(GenericStore.sameContent(a, b)).isEqualTo(same);
        assertThat(GenericStore.sameContent(b, a)).isEqualTo(same);
    }

    @Test
    void aLongAndTheSameIntAreTheSame() {
        check(pod(p -> ((ObjectNode) p.get("metadata")).put("generation", 2L)), pod(p -> {}), true);
        check(pod(p -> ((ObjectNode) p.get("metadata")).put("generation", BigInteger.TWO)), pod(p -> {}), true);
        check(pod(p -> ((ObjectNode) p.at("/status/containerStatuses/0")).put("restartCount", 0L)), pod(p -> {}), true);
    }

    @Test
    void numbersThatReadBackDifferentlyDiffer() {
        check(pod(p -> ((ObjectNode) p.get("metadata")).put("generation", 2.0)), pod(p -> {}), false);
        check(pod(p -> ((ObjectNode) p.get("metadata")).put("generation", 3)), pod(p -> {}), false);
        check(pod(p -> p.put("x", new BigDecimal("1.5"))), pod(p -> p.put("x", new BigDecimal("1.25"))), false);
    }

    @Test
    void decimalsThatReadBackAlikeAreTheSame() {
        // the reader strips trailing zeros from the decimals it makes
        check(pod(p -> p.put("x", new BigDecimal("1.0"))), pod(p -> p.put("x", new BigDecimal("1.00"))), true);
    }

    @Test
    void aDoubleAndTheDecimalItIsWrittenAsAreTheSame() {
        check(pod(p -> p.put("x", 1.5)), pod(p -> p.put("x", new BigDecimal("1.5"))), true);
    }

    @Test
    void keyOrderDoesNotMatter() {
        ObjectNode reordered = Json.object();
        ObjectNode original = pod(p -> {});
        reordered.set("status", original.get("status").deepCopy());
        reordered.set("metadata", original.get("metadata").deepCopy());
        check(reordered, original, true);
    }

    @Test
    void changedMissingAndNullValuesDiffer() {
        check(pod(p -> ((ObjectNode) p.get("status")).put("phase", "Failed")), pod(p -> {}), false);
        check(pod(p -> ((ObjectNode) p.get("status")).putNull("phase")), pod(p -> {}), false);
        check(pod(p -> ((ObjectNode) p.get("status")).remove("phase")), pod(p -> {}), false);
        check(pod(p -> ((ObjectNode) p.get("status")).put("phase", 1)), pod(p -> {}), false);
        check(pod(p -> ((ObjectNode) p.at("/status/containerStatuses/0")).put("ready", false)), pod(p -> {}), false);
        check(
                pod(p -> ((com.fasterxml.jackson.databind.node.ArrayNode) p.at("/status/containerStatuses"))
                        .addObject()),
                pod(p -> {}),
                false);
        check(pod(p -> ((ObjectNode) p.get("status")).putObject("phase")), pod(p -> {}), false);
    }
}
