package dev.capstan.e2e;

import static org.awaitility.Awaitility.await;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;

/** The objects and checks the end-to-end tests share: namespaces, Deployments, pods, conditions and events. */
final class Workloads {
    static final String IMAGE = "busybox:1.36";

    private Workloads() {}

    /** An Awaitility wait of at most {@code limit}, polling every 200 ms. */
    static ConditionFactory within(Duration limit) {
        return await().atMost(limit).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO);
    }

    /** Creates a namespace of the prefix and a random suffix, so tests that share a cluster never meet. */
    static String namespace(ApiClient api, String prefix) {
        String name =
                prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        api.resources(Kinds.NAMESPACES)
                .create(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build());
        return name;
    }

    /** Deletes a namespace; what it holds goes with it, through the namespace controller. */
    static void deleteNamespace(ApiClient api, String name) {
        try {
            api.resources(Kinds.NAMESPACES).delete("", name);
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** A pod spec of one busybox container named after the app. */
    static PodSpecBuilder podSpec(String app) {
        return new PodSpecBuilder()
                .addNewContainer()
                .withName(app)
                .withImage(IMAGE)
                .endContainer();
    }

    /** A Deployment of {@code replicas} pods labelled app={@code name}, with the given pod spec. */
    static Deployment deployment(String namespace, String name, int replicas, PodSpec spec) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withSpec(spec)
                .endTemplate()
                .endSpec()
                .build();
    }

    static Deployment deployment(String namespace, String name, int replicas) {
        return deployment(namespace, name, replicas, podSpec(name).build());
    }

    /** A bare pod of one busybox container with the given cpu request, changed by {@code edit}. */
    static Pod pod(String namespace, String name, String cpu, UnaryOperator<PodSpecBuilder> edit) {
        PodSpecBuilder spec = new PodSpecBuilder()
                .addNewContainer()
                .withName("main")
                .withImage(IMAGE)
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity(cpu)))
                .endResources()
                .endContainer();
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withSpec(edit.apply(spec).build())
                .build();
    }

    static Deployment getDeployment(ApiClient api, String namespace, String name) {
        return api.resources(Kinds.DEPLOYMENTS)
                .get(namespace, name)
                .orElseThrow(() -> new AssertionError("no Deployment " + namespace + "/" + name));
    }

    static Optional<Pod> getPod(ApiClient api, String namespace, String name) {
        return api.resources(Kinds.PODS).get(namespace, name);
    }

    /** Every pod of app={@code app}, terminating ones included. */
    static List<Pod> pods(ApiClient api, String namespace, String app) {
        return api.resources(Kinds.PODS)
                .list(namespace, ListOptions.labels("app=" + app))
                .items();
    }

    /** The pods of app={@code app} that are not being deleted. */
    static List<Pod> activePods(ApiClient api, String namespace, String app) {
        return pods(api, namespace, app).stream().filter(p -> !terminating(p)).toList();
    }

    static List<ReplicaSet> replicaSets(ApiClient api, String namespace) {
        return api.resources(Kinds.REPLICA_SETS)
                .list(namespace, ListOptions.ALL)
                .items();
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    static boolean ready(Pod pod) {
        return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Bound, Running and Ready. */
    static boolean running(Pod pod) {
        return nodeName(pod) != null
                && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase())
                && ready(pod);
    }

    static String nodeName(Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? null : node;
    }

    /** The node's condition of this type's status, or "" when it has none. */
    static String nodeCondition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return "";
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .map(NodeCondition::getStatus)
                .findFirst()
                .orElse("");
    }

    /**
     * Whether the Deployment's rollout is complete, as {@code kubectl rollout status} decides it: the controller has
     * seen the latest spec, and every replica is updated and available with no old one left.
     */
    static boolean rolledOut(ApiClient api, String namespace, String name) {
        Deployment d = getDeployment(api, namespace, name);
        var status = d.getStatus();
        if (status == null || status.getObservedGeneration() == null) {
            return false;
        }
        int want = d.getSpec().getReplicas();
        return status.getObservedGeneration() >= d.getMetadata().getGeneration()
                && Objects.equals(status.getUpdatedReplicas(), want)
                && Objects.equals(status.getReplicas(), want)
                && Objects.equals(status.getAvailableReplicas(), want);
    }

    /** Waits until the rollout is complete and every active pod of the Deployment runs. */
    static void awaitRolledOut(ApiClient api, String namespace, String name, Duration limit) {
        within(limit)
                .alias("Deployment " + namespace + "/" + name + " rolled out")
                .until(() -> rolledOut(api, namespace, name)
                        && activePods(api, namespace, name).stream().allMatch(Workloads::running));
    }

    /** The events about the named object in the namespace. */
    static List<Event> events(ApiClient api, String namespace, String involvedName) {
        return api.resources(Kinds.EVENTS).list(namespace, ListOptions.ALL).items().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && involvedName.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
