package dev.capstan.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.model.json.KubeJson;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real kubectl against a loopback stub that serves discovery and these documents: explain must render,
 * create must choose server-side field validation, and apply must compute its strategic merge patch from v3.
 */
@EnabledIf("kubectlOnPath")
class KubectlCompatibilityTest {
    private static final List<ResourceInfo> RESOURCES = TestResources.standard();
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(RESOURCES, OpenApiSnapshot.NONE);
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

    private static HttpServer server;
    private static final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private static final List<String> writes = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    /** Without kubectl the test is skipped on a workstation; with {@code CI} set it runs, and fails. */
    static boolean kubectlOnPath() {
        if (System.getenv("CI") != null) {
            return true;
        }
        return System.getenv("PATH") != null
                && java.util.Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                        .anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl")));
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", KubectlCompatibilityTest::handle);
        server.start();
        Files.writeString(
                dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {}}]
                contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
                current-context: x
                """.formatted(server.getAddress().getPort()));
        Files.writeString(dir.resolve("deploy.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        ports: [{containerPort: 80}]
                        env: [{name: A, value: "1"}]
                """);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void explainRendersFieldsFromTheDocuments() throws Exception {
        Result spec = kubectl("explain", "deployment.spec");
        assertThat(spec.exit()).as(spec.output()).isZero();
        assertThat(spec.output()).contains("KIND:", "Deployment", "FIELDS:", "replicas", "<integer>", "template");
        Result ports = kubectl("explain", "pods.spec.containers.ports");
        assertThat(ports.exit()).as(ports.output()).isZero();
        assertThat(ports.output()).contains("containerPort", "protocol");
        Result limits = kubectl("explain", "pod.spec.containers.resources.limits");
        assertThat(limits.exit()).as(limits.output()).isZero();
    }

    @Test
    void createAndApplyUseServerSideValidationAndV3StrategicMergePatch() throws Exception {
        Result create = kubectl("create", "-f", dir.resolve("deploy.yaml").toString());
        assertThat(create.exit()).as(create.output()).isZero();
        assertThat(writes)
                .anySatisfy(w ->
                        assertThat(w).startsWith("POST " + DEPLOYMENTS + "?").contains("fieldValidation=Strict"));

        Files.writeString(
                dir.resolve("deploy.yaml"),
                Files.readString(dir.resolve("deploy.yaml")).replace("replicas: 2", "replicas: 3"));
        Result apply = kubectl("apply", "-f", dir.resolve("deploy.yaml").toString(), "-v=5");
        assertThat(apply.exit()).as(apply.output()).isZero();
        assertThat(apply.output()).doesNotContain("error calculating patch from openapi v3", "OpenAPI V3 path");
        assertThat(writes)
                .anySatisfy(w -> assertThat(w)
                        .startsWith("PATCH " + DEPLOYMENTS + "/web?")
                        .contains("fieldValidation=Strict")
                        .contains("application/strategic-merge-patch+json")
                        .contains("\"replicas\":3"));
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!method.equals("GET")) {
            writes.add(method + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, StandardCharsets.UTF_8));
        }
        if (path.equals("/openapi/v3")) {
            respond(exchange, 200, KubeJson.MAPPER.writeValueAsBytes(DOCS.index()));
        } else if (path.startsWith("/openapi/v3/") && DOCS.documentBytes(path.substring(12)) != null) {
            respond(exchange, 200, DOCS.documentBytes(path.substring(12)));
        } else if (path.equals("/api")) {
            respond(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}".getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/apis")) {
            respond(exchange, 200, KubeJson.MAPPER.writeValueAsBytes(groups()));
        } else if (DOCS.documentBytes(path.substring(1)) != null) {
            respond(exchange, 200, KubeJson.MAPPER.writeValueAsBytes(resources(path.substring(1))));
        } else if (path.startsWith(DEPLOYMENTS)) {
            if (method.equals("POST")) {
                ObjectNode object = (ObjectNode) KubeJson.MAPPER.readTree(body);
                stored.put(DEPLOYMENTS + "/" + object.at("/metadata/name").asText(), body);
                respond(exchange, 201, body);
            } else if (stored.containsKey(path)) {
                respond(exchange, 200, stored.get(path));
            } else {
                String notFound = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404}";
                respond(exchange, 404, notFound.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            respond(exchange, 404, "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode groups() {
        ObjectNode list = Nodes.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        for (ResourceInfo r : RESOURCES) {
            if (r.group().isEmpty() || groups.findValuesAsText("name").contains(r.group())) {
                continue;
            }
            ObjectNode group = groups.addObject().put("name", r.group());
            ArrayNode versions = group.putArray("versions");
            RESOURCES.stream()
                    .filter(o -> o.group().equals(r.group()))
                    .map(ResourceInfo::version)
                    .distinct()
                    .forEach(v -> versions.addObject()
                            .put("groupVersion", r.group() + "/" + v)
                            .put("version", v));
            group.set("preferredVersion", versions.get(0));
        }
        return list;
    }

    private static ObjectNode resources(String groupVersionPath) {
        ObjectNode list = Nodes.object().put("kind", "APIResourceList").put("apiVersion", "v1");
        ArrayNode resources = list.putArray("resources");
        for (ResourceInfo r : RESOURCES) {
            if (r.groupVersionPath().equals(groupVersionPath)) {
                list.put("groupVersion", r.group().isEmpty() ? r.version() : r.group() + "/" + r.version());
                ObjectNode resource = resources
                        .addObject()
                        .put("name", r.plural())
                        .put("singularName", r.kind().toLowerCase(java.util.Locale.ROOT))
                        .put("namespaced", r.namespaced())
                        .put("kind", r.kind());
                resource.set(
                        "verbs",
                        Nodes.array("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"));
            }
        }
        return list;
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private record Result(int exit, String output) {}

    private static Result kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                "kubectl",
                "--kubeconfig",
                dir.resolve("kubeconfig").toString(),
                "--cache-dir",
                dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl timed out: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
