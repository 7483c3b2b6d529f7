package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.api.Kubectl;
import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services as a user meets them, on {@code ./capstan up --node} with unmodified kubectl and the README's examples:
 * the ClusterIP from the host and from a pod (by address and by DNS name), balanced across the replicas; NodePort and
 * LoadBalancer on the node's address; readiness and scaling reflected in the endpoints and in nftables; ClientIP
 * affinity; NetworkPolicy. Every request is bounded in time, and the guard rule keeps pod and Service traffic on the
 * test bridge. Needs root, containerd, nftables and kubectl: skipped without them on a developer's machine, failing
 * under CI.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceNetworkingIT {
    private static final NodeMachine NODE = new NodeMachine("10.245.0.0/16", "capstane2e3", "capstan_e2e_guard3");
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static Kubectl kubectl;
    private static String nodeIp;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @BeforeAll
    static void up() throws Exception {
        Kubectl.require();
        NODE.guard("ServiceNetworkingIT");
        cluster = NODE.up(tmp);
        api = cluster.admin();
        kubectl = new Kubectl(cluster.kubeconfig());
        nodeIp = api.resources(Kinds.NODES).list("", ListOptions.ALL).items().get(0).getStatus().getAddresses().stream()
                .filter(a -> a.getType().equals("InternalIP"))
                .findFirst()
                .orElseThrow()
                .getAddress();
        ok("apply", "-f", Cluster.ROOT.resolve("examples/web.yaml").toString());
        ok("rollout", "status", "deployment/web", "--timeout=120s");
        // a client pod to send requests from inside the cluster
        ok(
                "run",
                "client",
                "--image=" + NodeMachine.IMAGE,
                "--labels=role=client",
                "--restart=Never",
                "--",
                "sleep",
                "3600");
        ok("wait", "--for=condition=Ready", "pod/client", "--timeout=120s");
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        NODE.unguard();
    }

    @Test
    @Order(0)
    void theComponentsShareOneJvmAndStatusShowsEachReady() throws Exception {
        long pid = cluster.pid("components");
        List<String> components = List.of("scheduler", "controller-manager", "node", "netproxy");
        for (String component : components) {
            assertThat(cluster.pid(component)).as("the %s's PID", component).isEqualTo(pid);
        }
        String status = cluster.capstan("status");
        for (String component : components) {
            assertThat(status)
                    .as("./capstan status:%n%s", status)
                    .containsPattern("(?m)^" + component + " +" + pid + " +ready +\\d+ MiB \\(one JVM");
        }
        assertThat(status).containsPattern("(?m)^apiserver +\\d+ +ready +\\d+ MiB$");
    }

    @Test
    @Order(1)
    void clusterIpAnswersFromTheHostBalancedAcrossTheReplicas() throws Exception {
        String vip = clusterIp("web");
        Set<String> servedBy = new HashSet<>();
        servedBy.add(answer("http://" + vip + "/"));
        for (int i = 0; i < 60 && servedBy.size() < 3; i++) {
            servedBy.add(get("http://" + vip + "/"));
        }
        assertThat(servedBy)
                .as("answers from the three replicas")
                .hasSize(3)
                .allMatch(s -> s.startsWith("hello from web-"));
    }

    @Test
    @Order(2)
    void aPodReachesTheServiceByAddressAndByDnsName() {
        String vip = clusterIp("web");
        for (String host : List.of(vip, "web", "web.default", "web.default.svc.cluster.local")) {
            Kubectl.Result result = kubectl.run(
                    "exec", "client", "--", "timeout", "3", "wget", "-q", "-O", "-", "http://" + host + "/");
            assertThat(result.exitCode())
                    .as("wget http://%s/ from the client pod: %s", host, result.out())
                    .isZero();
            assertThat(result.out()).startsWith("hello from web-");
        }
        Kubectl.Result lookup = kubectl.run("exec", "client", "--", "nslookup", "web.default.svc.cluster.local");
        assertThat(lookup.out()).as("nslookup: %s", lookup.out()).contains(vip);
        Kubectl.Result missing = kubectl.run("exec", "client", "--", "nslookup", "nothing.default.svc.cluster.local");
        assertThat(missing.exitCode()).as("an unknown name: %s", missing.out()).isNotZero();
    }

    @Test
    @Order(3)
    void nodePortAndLoadBalancerAnswerOnTheNodesAddress() throws Exception {
        ok("patch", "service", "web", "-p", "{\"spec\":{\"type\":\"NodePort\"}}");
        int nodePort = service("web").getSpec().getPorts().get(0).getNodePort();
        assertThat(answer("http://" + nodeIp + ":" + nodePort + "/")).startsWith("hello from web-");

        ok("apply", "-f", Cluster.ROOT.resolve("examples/loadbalancer.yaml").toString());
        ok("rollout", "status", "deployment/hello", "--timeout=120s");
        String ingress = await().atMost(SETTLE)
                .until(
                        () -> {
                            var lb = service("hello").getStatus().getLoadBalancer();
                            return lb == null
                                            || lb.getIngress() == null
                                            || lb.getIngress().isEmpty()
                                    ? null
                                    : lb.getIngress().get(0).getIp();
                        },
                        ip -> ip != null);
        assertThat(ingress).isEqualTo(nodeIp);
        assertThat(answer("http://" + ingress + ":8081/")).startsWith("hello from hello-");
        ok("delete", "-f", Cluster.ROOT.resolve("examples/loadbalancer.yaml").toString());
    }

    @Test
    @Order(4)
    void aPodThatIsNotReadyLeavesTheEndpointsAndTheTable() throws Exception {
        String pod = webPods().get(0);
        String ip = podIp(pod);
        // the readiness probe fetches /: without it the pod turns unready
        ok("exec", pod, "--", "rm", "/www/index.html");
        await().atMost(SETTLE)
                .untilAsserted(() -> assertThat(readyEndpoints("web")).doesNotContain(ip));
        await().atMost(SETTLE).untilAsserted(() -> assertThat(table()).doesNotContain(ip + " "));
        String vip = clusterIp("web");
        for (int i = 0; i < 30; i++) {
            assertThat(get("http://" + vip + "/")).doesNotContain(pod);
        }
        ok("exec", pod, "--", "sh", "-c", "echo \"hello from $(hostname)\" > /www/index.html");
        await().atMost(SETTLE)
                .untilAsserted(() -> assertThat(readyEndpoints("web")).contains(ip));
        await().atMost(SETTLE).untilAsserted(() -> assertThat(table()).contains(ip));
    }

    @Test
    @Order(5)
    void scalingToZeroAndBack() throws Exception {
        String vip = clusterIp("web");
        ok("scale", "deployment/web", "--replicas=0");
        await().atMost(SETTLE)
                .untilAsserted(() -> assertThat(readyEndpoints("web")).isEmpty());
        await().atMost(SETTLE).until(() -> refused("http://" + vip + "/"));
        ok("scale", "deployment/web", "--replicas=3");
        ok("rollout", "status", "deployment/web", "--timeout=120s");
        await().atMost(SETTLE)
                .ignoreExceptions()
                .until(() -> get("http://" + vip + "/").startsWith("hello from web-"));
    }

    @Test
    @Order(6)
    void clientIpAffinityPinsAClient() throws Exception {
        ok("patch", "service", "web", "-p", "{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
        String vip = clusterIp("web");
        await().atMost(SETTLE).untilAsserted(() -> assertThat(table()).contains("timeout 3h"));
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            servedBy.add(get("http://" + vip + "/"));
        }
        assertThat(servedBy)
                .as("one replica answers every request of one client")
                .hasSize(1);
        ok("patch", "service", "web", "-p", "{\"spec\":{\"sessionAffinity\":\"None\"}}");
    }

    @Test
    @Order(7)
    void networkPolicyDeniesIngressAndAllowsByLabel() {
        ok("run", "stranger", "--image=" + NodeMachine.IMAGE, "--restart=Never", "--", "sleep", "3600");
        ok("wait", "--for=condition=Ready", "pod/stranger", "--timeout=120s");
        String vip = clusterIp("web");
        assertThat(fromPod("stranger", vip)).as("before any policy").isTrue();

        apply("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-deny}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                """);
        await().atMost(SETTLE).until(() -> !fromPod("client", vip));
        assertThat(fromPod("stranger", vip)).isFalse();

        apply("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-from-clients}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  ingress:
                  - from:
                    - podSelector: {matchLabels: {role: client}}
                    ports:
                    - port: http
                """);
        await().atMost(SETTLE).until(() -> fromPod("client", vip));
        assertThat(fromPod("stranger", vip)).as("a pod without the label").isFalse();
        ok("delete", "networkpolicy", "web-deny", "web-from-clients");
    }

    @Test
    @Order(8)
    void downLeavesNothingOfTheClusterOnTheMachine() throws Exception {
        Path state = cluster.state();
        cluster.close();
        cluster = null;
        String tables = NodeMachine.run(List.of("nft", "list", "tables"), null);
        assertThat(tables).doesNotContain(NODE.proxyTable()).doesNotContain(NODE.policyTable());
        assertThat(NodeMachine.run(List.of("ip", "-o", "link", "show"), null)).doesNotContain(NODE.bridge);
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(state.toString()))
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                        .toList())
                .as("processes of the cluster")
                .isEmpty();
        assertThat(NodeMachine.mountsUnder(state))
                .as("mounts under the state directory")
                .isEmpty();
    }

    /** Whether pod {@code from} gets an answer from http://HOST/ within 3 s (busybox 1.35's wget -T crashes). */
    private static boolean fromPod(String from, String host) {
        return kubectl.run("exec", from, "--", "timeout", "3", "wget", "-q", "-O", "-", "http://" + host + "/")
                        .exitCode()
                == 0;
    }

    private static void ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exitCode())
                .as("kubectl %s: %s", String.join(" ", args), result.out())
                .isZero();
    }

    private static void apply(String yaml) {
        Kubectl.Result result = kubectl.runWithInput(yaml, "apply", "-f", "-");
        assertThat(result.exitCode()).as("kubectl apply: %s", result.out()).isZero();
    }

    private static Service service(String name) {
        return api.resources(Kinds.SERVICES).get("default", name).orElseThrow();
    }

    private static String clusterIp(String name) {
        return service(name).getSpec().getClusterIP();
    }

    private static List<String> webPods() {
        return api.resources(Kinds.PODS).list("default", ListOptions.ALL).items().stream()
                .filter(p -> "web".equals(p.getMetadata().getLabels().get("app")))
                .map(p -> p.getMetadata().getName())
                .sorted()
                .toList();
    }

    private static String podIp(String name) {
        return api.resources(Kinds.PODS)
                .get("default", name)
                .orElseThrow()
                .getStatus()
                .getPodIP();
    }

    private static List<String> readyEndpoints(String service) {
        return api.resources(Kinds.ENDPOINT_SLICES).list("default", ListOptions.ALL).items().stream()
                .filter(s -> service.equals(s.getMetadata().getLabels().get("kubernetes.io/service-name")))
                .flatMap(s -> s.getEndpoints().stream())
                .filter(e -> e.getConditions() != null
                        && Boolean.TRUE.equals(e.getConditions().getReady()))
                .map(Endpoint::getAddresses)
                .flatMap(List::stream)
                .toList();
    }

    /** The netproxy's Service table as nft lists it. */
    private static String table() throws Exception {
        return NodeMachine.run(List.of("nft", "list", "table", "ip", NODE.proxyTable()), null);
    }

    /**
     * The first answer from a URL the netproxy serves once it has synced what the test just changed (its syncs are at
     * least 100 ms apart): retried until then.
     */
    private static String answer(String url) {
        return await().atMost(SETTLE).ignoreExceptions().until(() -> get(url), body -> !body.isEmpty());
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .trim();
    }

    /** Whether a connection to the URL is refused or reset (a Service without endpoints rejects). */
    private static boolean refused(String url) {
        try {
            get(url);
            return false;
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            return e instanceof java.net.ConnectException;
        } catch (Exception e) {
            return false;
        }
    }
}
