package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceEventValidationTest {

    @Test
    void namespaceDefaultsPreparationAndCanonicalName() {
        ObjectNode ns = obj("{\"metadata\":{\"name\":\"team-a\"},\"spec\":{\"finalizers\":[\"example.com/x\"]}}");
        NamespaceValidation.defaultNamespace(ns);
        NamespaceValidation.prepareForCreate(ns);
        assertThat(ns)
                .isEqualTo(obj("{\"metadata\":{\"name\":\"team-a\",\"labels\":{\"kubernetes.io/metadata.name\":"
                        + "\"team-a\"}},\"spec\":{\"finalizers\":[\"example.com/x\",\"kubernetes\"]},"
                        + "\"status\":{\"phase\":\"Active\"}}"));
        assertThat(NamespaceValidation.validateNamespace(ns)).isEmpty();
        ObjectNode generated = obj("{\"metadata\":{\"generateName\":\"t-\"}}");
        NamespaceValidation.defaultNamespace(generated);
        assertThat(generated.path("metadata").has("labels")).isFalse();
        generated.withObjectProperty("metadata").put("name", "t-x1");
        NamespaceValidation.canonicalize(generated);
        assertThat(generated.at("/metadata/labels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("t-x1");
    }

    @Test
    void namespaceUpdateKeepsFinalizersAndStatus() {
        ObjectNode old = obj("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},"
                + "\"status\":{\"phase\":\"Active\"}}");
        ObjectNode now =
                obj("{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\"},\"status\":{\"phase\":\"Terminating\"}}");
        NamespaceValidation.prepareForUpdate(now, old);
        assertThat(now.get("spec")).isEqualTo(old.get("spec"));
        assertThat(now.get("status")).isEqualTo(old.get("status"));
        assertThat(NamespaceValidation.validateNamespaceUpdate(now, old))
                .containsExactly(
                        cause("FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"));
    }

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of("{\"name\":\"a\"}", "Active", List.of()),
                Arguments.of(
                        "{\"name\":\"a\",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\"}", "Terminating", List.of()),
                Arguments.of(
                        "{\"name\":\"a\"}",
                        "Terminating",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.Phase",
                                        "Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"))),
                Arguments.of(
                        "{\"name\":\"a\",\"deletionTimestamp\":\"2025-01-01T00:00:00Z\"}",
                        "Active",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.Phase",
                                "Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not "
                                        + "empty"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("statuses")
    void namespaceStatus(String meta, String phase, List<Cause> expected) {
        ObjectNode ns = obj("{\"metadata\":" + meta + ",\"status\":{\"phase\":\"" + phase + "\"}}");
        assertThat(NamespaceValidation.validateNamespaceStatusUpdate(ns, ns)).containsExactlyElementsOf(expected);
    }

    @Test
    void finalizeChecksEachFinalizerAtItsIndex() {
        ObjectNode ns = obj("{\"metadata\":{\"name\":\"a\"},\"spec\":{\"finalizers\":[\"kubernetes\",\"custom\"]}}");
        assertThat(NamespaceValidation.validateNamespaceFinalizeUpdate(ns, ns))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "spec.finalizers[1]",
                                "Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"));
    }

    static Stream<Arguments> events() {
        String newStyle = "\"eventTime\":\"2025-01-01T00:00:00.000000Z\",\"reportingComponent\":\"kubelet\","
                + "\"reportingInstance\":\"node-1\",\"action\":\"Pulling\",\"reason\":\"Pulling\"";
        return Stream.of(
                Arguments.of("default", "{\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"default\"}}", List.of()),
                Arguments.of("default", "{\"involvedObject\":{\"kind\":\"Node\"}}", List.of()),
                Arguments.of("kube-system", "{\"involvedObject\":{\"kind\":\"Node\"}," + newStyle + "}", List.of()),
                Arguments.of(
                        "apps",
                        "{\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"web\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "involvedObject.namespace",
                                "Invalid value: \"web\": does not match event.namespace"))),
                Arguments.of(
                        "apps",
                        "{\"involvedObject\":{\"kind\":\"Node\"}," + newStyle + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "involvedObject.namespace",
                                "Invalid value: \"\": does not match event.namespace"))),
                Arguments.of(
                        "default",
                        "{\"eventTime\":\"2025-01-01T00:00:00Z\",\"reportingComponent\":\"bad name\",\"action\":\""
                                + "x".repeat(129) + "\",\"reason\":\"R\",\"message\":\"" + "m".repeat(1025) + "\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "reportingComponent",
                                        "Invalid value: \"bad name\": " + TestJson.NAME_PART_MSG),
                                cause("FieldValueRequired", "reportingInstance", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "action",
                                        "Invalid value: \"\": can have at most 128 characters"),
                                cause(
                                        "FieldValueInvalid",
                                        "message",
                                        "Invalid value: \"\": can have at most 1024 characters"))),
                Arguments.of(
                        "default",
                        "{\"eventTime\":\"2025-01-01T00:00:00Z\"}",
                        List.of(
                                cause("FieldValueRequired", "reportingComponent", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "reportingComponent",
                                        "Invalid value: \"\": name part must be non-empty"),
                                cause(
                                        "FieldValueInvalid",
                                        "reportingComponent",
                                        "Invalid value: \"\": " + TestJson.NAME_PART_MSG),
                                cause("FieldValueRequired", "reportingInstance", "Required value"),
                                cause("FieldValueRequired", "action", "Required value"),
                                cause("FieldValueRequired", "reason", "Required value"))),
                Arguments.of(
                        "Bad_NS",
                        "{\"involvedObject\":{\"namespace\":\"Bad_NS\"}}",
                        List.of(cause(
                                "FieldValueInvalid", "namespace", "Invalid value: \"Bad_NS\": " + SUBDOMAIN_MSG))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("events")
    void coreV1Event(String namespace, String body, List<Cause> expected) {
        ObjectNode event = obj(body);
        event.putObject("metadata").put("name", "e1").put("namespace", namespace);
        assertThat(EventValidation.validateEvent(event)).containsExactlyElementsOf(expected);
        assertThat(EventValidation.validateEventUpdate(event, event)).containsExactlyElementsOf(expected);
    }
}
