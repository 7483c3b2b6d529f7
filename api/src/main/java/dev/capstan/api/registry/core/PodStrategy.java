package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.PodPrinter;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.PodStatusValidation;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;
import dev.capstan.model.pod.QosClass;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/** Pods (upstream pkg/registry/core/pod/strategy.go). */
public final class PodStrategy implements Strategy {
    /** The grace period of a pod that names none, as upstream's default terminationGracePeriodSeconds. */
    private static final long DEFAULT_GRACE_SECONDS = 30;

    private static final Map<String, Function<JsonNode, String>> FIELDS = fields();

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Pod.class, "", "v1", "Pod", "pods")
                .shortNames("po")
                .subresources("status", "binding", "eviction", "log", "exec", "attach", "portforward")
                .categories("all")
                .build(new PodStrategy());
    }

    private final StatusStrategy status =
            new StatusRules(PodStatusValidation::prepareForStatusUpdate, PodStatusValidation::validatePodStatusUpdate);
    /** When a scheduling-gated pod's PodScheduled condition says it changed. */
    private final Clock clock;

    public PodStrategy() {
        this(Clock.systemUTC());
    }

    PodStrategy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void applyDefaults(ObjectNode pod) {
        Defaulting.pod(pod);
    }

    /** A new pod is Pending, with the QoS class its resources give it. */
    @Override
    public void prepareForCreate(ObjectNode pod) {
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending").put("qosClass", qosClass(pod));
        Prepare.podCreate(pod, clock.instant());
    }

    /** Upstream's GetPodQOS on the defaulted pod, read from its JSON. */
    private static String qosClass(ObjectNode pod) {
        return QosClass.compute(pod.path("spec")).value();
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old) {
        Strategies.keepStatus(pod, old);
        Prepare.podUpdate(pod, old);
    }

    @Override
    public List<Cause> validate(ObjectNode pod) {
        return Validators.pod(pod);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode pod, ObjectNode old) {
        return Validators.podUpdate(pod, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    /**
     * Upstream's CheckGracefulDelete: the requested grace period, else the pod's terminationGracePeriodSeconds; 0
     * (deleted at once) for a pod that no node runs yet or that has finished.
     */
    @Override
    public OptionalLong gracePeriod(ObjectNode pod, DeleteOptions options) {
        long period = options.gracePeriodSeconds() != null
                ? options.gracePeriodSeconds()
                : pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
        String phase = pod.path("status").path("phase").asText("");
        if (pod.path("spec").path("nodeName").asText("").isEmpty()
                || phase.equals("Failed")
                || phase.equals("Succeeded")) {
            period = 0;
        }
        return OptionalLong.of(Math.max(period, 0));
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    private static Map<String, Function<JsonNode, String>> fields() {
        Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>(Strategies.jsonPathFields(
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "status.phase",
                "status.nominatedNodeName"));
        fields.put(
                "spec.hostNetwork",
                pod -> Boolean.toString(pod.path("spec").path("hostNetwork").asBoolean(false)));
        // Upstream selects on the first of status.podIPs.
        fields.put(
                "status.podIP",
                pod -> pod.path("status").path("podIPs").path(0).path("ip").asText(""));
        return Map.copyOf(fields);
    }

    @Override
    public KindTable table() {
        return PodPrinter.POD;
    }
}
