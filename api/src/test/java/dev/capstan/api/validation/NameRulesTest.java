package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.DNS1035_MSG;
import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NameRulesTest {

    static Stream<Arguments> names() {
        String long254 = "a".repeat(254);
        String long64 = "a".repeat(64);
        return Stream.of(
                // most kinds: DNS-1123 subdomain
                Arguments.of("", "ConfigMap", "my-config", List.of()),
                Arguments.of("", "ConfigMap", "my.config.v1", List.of()),
                Arguments.of("", "Pod", "Foo", List.of(SUBDOMAIN_MSG)),
                Arguments.of("", "Pod", "-pod", List.of(SUBDOMAIN_MSG)),
                Arguments.of("", "Pod", "pod_1", List.of(SUBDOMAIN_MSG)),
                Arguments.of("apps", "Deployment", long254, List.of("must be no more than 253 characters")),
                Arguments.of("apps", "Deployment", "a".repeat(253), List.of()),
                Arguments.of("example.com", "Widget", "UPPER", List.of(SUBDOMAIN_MSG)),
                // namespaces and StatefulSets: DNS-1123 label
                Arguments.of("", "Namespace", "kube-system", List.of()),
                Arguments.of("", "Namespace", "my.ns", List.of("must not contain dots")),
                Arguments.of("", "Namespace", "My_NS", List.of(LABEL_MSG)),
                Arguments.of("", "Namespace", long64, List.of("must be no more than 63 characters")),
                Arguments.of("apps", "StatefulSet", "web.v1", List.of("must not contain dots")),
                // services: DNS-1035 label (must start with a letter)
                Arguments.of("", "Service", "frontend", List.of()),
                Arguments.of("", "Service", "1frontend", List.of(DNS1035_MSG)),
                Arguments.of("", "Service", "front.end", List.of(DNS1035_MSG)),
                Arguments.of("", "Service", long64, List.of("must be no more than 63 characters")),
                // RBAC: path segment names
                Arguments.of("rbac.authorization.k8s.io", "ClusterRole", "system:controller:job", List.of()),
                Arguments.of("rbac.authorization.k8s.io", "Role", "..", List.of("may not be '..'")),
                Arguments.of(
                        "rbac.authorization.k8s.io",
                        "RoleBinding",
                        "a/b%c",
                        List.of("may not contain '/'", "may not contain '%'")));
    }

    @ParameterizedTest(name = "{0}/{1} {2}")
    @MethodSource("names")
    void nameRulePerKind(String group, String kind, String name, List<String> expected) {
        assertThat(Kinds.nameErrors(group, kind, name)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> qualifiedNames() {
        String name64 = "a".repeat(64);
        return Stream.of(
                Arguments.of("app", List.of()),
                Arguments.of("app.kubernetes.io/name", List.of()),
                Arguments.of("A_b.C-1", List.of()),
                Arguments.of("/name", List.of("prefix part must be non-empty")),
                Arguments.of("example.com/", List.of("name part must be non-empty", TestJson.NAME_PART_MSG)),
                Arguments.of("Example.com/name", List.of("prefix part " + SUBDOMAIN_MSG)),
                Arguments.of(name64, List.of("name part must be no more than 63 characters")),
                Arguments.of("-bad", List.of(TestJson.NAME_PART_MSG)),
                Arguments.of(
                        "a/b/c",
                        List.of("a qualified name must consist of alphanumeric characters, '-', '_' or "
                                + "'.', and must start and end with an alphanumeric character (e.g. "
                                + "'MyName',  or 'my.name', "
                                + " or '123-abc', regex used for validation is "
                                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
                                + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("qualifiedNames")
    void qualifiedName(String value, List<String> expected) {
        assertThat(NameRules.qualifiedName(value)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> portNames() {
        return Stream.of(
                Arguments.of("http", List.of()),
                Arguments.of("h2c-80", List.of()),
                Arguments.of("8080", List.of("must contain at least one letter (a-z)")),
                Arguments.of("a-very-long-port-name", List.of("must be no more than 15 characters")),
                Arguments.of(
                        "HTTP",
                        List.of(
                                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                                "must contain at least one letter (a-z)")),
                Arguments.of("a--b", List.of("must not contain consecutive hyphens")),
                Arguments.of("-ab", List.of("must not begin or end with a hyphen")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portNames")
    void portName(String value, List<String> expected) {
        assertThat(NameRules.portName(value)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> configMapKeys() {
        String keyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                + "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
        return Stream.of(
                Arguments.of("app.properties", List.of()),
                Arguments.of(".env", List.of()),
                Arguments.of(".", List.of("must not be '.'")),
                Arguments.of("..data", List.of("must not start with '..'")),
                Arguments.of("a b", List.of(keyMsg)),
                Arguments.of("a/b", List.of(keyMsg)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configMapKeys")
    void configMapKey(String value, List<String> expected) {
        assertThat(NameRules.configMapKey(value)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> envVarNames() {
        String msg = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                + "'.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', "
                + "regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";
        return Stream.of(
                Arguments.of("JAVA_HOME", List.of()),
                Arguments.of("my.env-name", List.of()),
                Arguments.of("1ABC", List.of(msg)),
                Arguments.of("A=B", List.of(msg)),
                Arguments.of("..", List.of("must not be '..'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("envVarNames")
    void envVarName(String value, List<String> expected) {
        assertThat(NameRules.envVarName(value)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> generateNames() {
        return Stream.of(
                Arguments.of("web-", List.of()),
                Arguments.of("Web-", List.of(SUBDOMAIN_MSG)),
                Arguments.of("-", List.of(SUBDOMAIN_MSG)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generateNames")
    void generateNamePrefixMasksTrailingDash(String prefix, List<String> expected) {
        assertThat(NameRules.NameRule.DNS_SUBDOMAIN.check(prefix, true)).containsExactlyElementsOf(expected);
    }
}
