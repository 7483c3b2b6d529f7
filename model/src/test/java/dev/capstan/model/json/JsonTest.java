package dev.capstan.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesOneObjectOrSaysWhyNot() {
        assertThat(KubeJson.parseObject(bytes("{\"a\": 1.5}")).get("a").decimalValue())
                .isEqualTo(new BigDecimal("1.5"));
        assertThatThrownBy(() -> KubeJson.parseObject(bytes("{} {}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the request body is not valid JSON: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> KubeJson.parseObject(bytes("[1]")))
                .hasMessage("the request body must be a JSON object");
        assertThatThrownBy(() -> KubeJson.parseObject(bytes("{")))
                .hasMessageStartingWith("the request body is not valid JSON: ");
        assertThatThrownBy(() -> KubeJson.parseObject(new byte[0]))
                .hasMessageStartingWith("the request body is not valid JSON");
    }

    @Test
    void treeHelpers() {
        ObjectNode pod = KubeJson.parseObject(bytes("{\"spec\": {\"nodeName\": \"n1\", \"x\": {\"y\": 1}}}"));
        assertThat(KubeJson.text(pod, "spec.nodeName")).isEqualTo("n1");
        assertThat(KubeJson.text(pod, "spec.x")).isEqualTo("{\"y\":1}");
        assertThat(KubeJson.text(pod, "status.phase")).isEmpty();
        KubeJson.metadata(pod).put("name", "p");
        assertThat(new String(KubeJson.bytes(pod), StandardCharsets.UTF_8)).contains("\"metadata\":{\"name\":\"p\"}");
        assertThat(KubeJson.array().isArray()).isTrue();
    }

    @Test
    void convertsBetweenTreesAndFabric8Types() {
        JsonNode spec = KubeJson.readTree(bytes(
                "{\"containers\": [{\"name\": \"c\", \"resources\": {\"requests\":" + " {\"cpu\": \"100m\"}}}]}"));
        PodSpec typed = KubeJson.convert(spec, PodSpec.class);
        assertThat(typed.getContainers()
                        .get(0)
                        .getResources()
                        .getRequests()
                        .get("cpu")
                        .toString())
                .isEqualTo("100m");
        assertThat(KubeJson.tree(typed).at("/containers/0/name").asText()).isEqualTo("c");
        assertThatThrownBy(() -> KubeJson.convert(KubeJson.readTree(bytes("{\"containers\": 5}")), PodSpec.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsWithGoZeroValues() {
        JsonNode o = KubeJson.readTree(bytes("{\"a\": {\"s\": \"x\", \"n\": 3, \"b\": true, \"nil\": null,"
                + " \"list\": [\"p\", \"q\"], \"map\": {\"k\": \"v\", \"z\": null},"
                + " \"t\": \"2024-01-02T03:04:05Z\", \"bad\": \"yesterday\"}}"));
        assertThat(JsonReads.str(o, "a", "s")).isEqualTo("x");
        assertThat(JsonReads.str(o, "a", "n")).isEqualTo("3");
        assertThat(JsonReads.str(o, "a", "missing", "deeper")).isEmpty();
        assertThat(JsonReads.str(o, "a", "map")).isEmpty();
        assertThat(JsonReads.strOr(o, "-", "a", "nil")).isEqualTo("-");
        assertThat(JsonReads.has(o, "a", "nil")).isFalse();
        assertThat(JsonReads.has(o, "a", "s")).isTrue();
        assertThat(JsonReads.num(o, "a", "n")).isEqualTo(3L);
        assertThat(JsonReads.num(o, "a", "s")).isNull();
        assertThat(JsonReads.numOr(o, 7, "a", "missing")).isEqualTo(7);
        assertThat(JsonReads.bool(o, "a", "b")).isTrue();
        assertThat(JsonReads.bool(o, "a", "missing")).isFalse();
        assertThat(JsonReads.strings(o, "a", "list")).containsExactly("p", "q");
        assertThat(JsonReads.items(o, "a", "s")).isEmpty();
        assertThat(JsonReads.stringMap(o, "a", "map")).isEqualTo(Map.of("k", "v", "z", ""));
        assertThat(JsonReads.entries(o, "a", "map")).containsExactly(Map.entry("k", "v"), Map.entry("z", ""));
        assertThat(JsonReads.size(o, "a", "list")).isEqualTo(2);
        assertThat(JsonReads.obj(o, "a").get("s").asText()).isEqualTo("x");
        assertThat(JsonReads.obj(o, "a", "s")).isNull();
        assertThat(JsonReads.obj(null, "a")).isNull();
        assertThat(JsonReads.time(o, "a", "t")).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(JsonReads.isZeroTime(JsonReads.time(o, "a", "bad"))).isTrue();
        assertThat(JsonReads.time(null, "x")).isEqualTo(JsonReads.ZERO_TIME);
        assertThat(JsonReads.items(null)).isEqualTo(List.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
