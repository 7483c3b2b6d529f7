package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** core/v1 defaults for Pods and pod specs: SetDefaults_Pod, SetDefaults_PodSpec and the generated walkers. */
final class PodDefaults {
    private PodDefaults() {}

    /** 0644, the default file mode of secret, config map, downward API and projected volumes. */
    private static final int DEFAULT_MODE = 420;

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    /** A Pod: the pod-only defaults first, then the spec, as SetObjectDefaults_Pod orders them. */
    static void pod(ObjectNode pod) {
        ObjectNode spec = Json.child(pod, "spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode ctr : Json.items(spec, list)) {
                requestsFromLimits((ObjectNode) ctr);
            }
        }
        if (!Json.has(spec, "enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        if (Json.bool(spec, "hostNetwork")) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode ctr : Json.items(spec, list)) {
                    for (JsonNode port : Json.items(ctr, "ports")) {
                        if (Json.num(port, "hostPort", 0) == 0) {
                            ((ObjectNode) port).put("hostPort", (int) Json.num(port, "containerPort", 0));
                        }
                    }
                }
            }
        }
        spec(spec);
    }

    /** A pod template inside a workload: only the spec defaults, never the pod-only ones. */
    static void template(ObjectNode owner, String... path) {
        ObjectNode node = owner;
        for (String f : path) {
            node = Json.child(node, f);
        }
        spec(Json.child(node, "spec"));
    }

    /** Limits double as requests for any resource that has no request (pods only). */
    private static void requestsFromLimits(ObjectNode ctr) {
        ObjectNode resources = Json.obj(ctr, "resources");
        ObjectNode limits = Json.obj(resources, "limits");
        if (limits == null) {
            return;
        }
        ObjectNode requests = Json.child(resources, "requests");
        for (Map.Entry<String, JsonNode> e : limits.properties()) {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    static void spec(ObjectNode spec) {
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "restartPolicy", "Always");
        if (!Json.has(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        if (!Json.has(spec, "terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        for (JsonNode vol : Json.items(spec, "volumes")) {
            volume((ObjectNode) vol);
        }
        for (String list : CONTAINER_LISTS) {
            for (JsonNode ctr : Json.items(spec, list)) {
                container((ObjectNode) ctr);
            }
        }
    }

    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (Json.str(node, field).isEmpty()) {
            node.put(field, value);
        }
    }

    private static void volume(ObjectNode vol) {
        boolean hasSource = vol.properties().stream()
                .anyMatch(e -> !e.getKey().equals("name") && !e.getValue().isNull());
        if (!hasSource) {
            vol.putObject("emptyDir");
        }
        if (Json.obj(vol, "hostPath") instanceof ObjectNode hostPath && !hostPath.has("type")) {
            hostPath.put("type", "");
        }
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (Json.obj(vol, source) instanceof ObjectNode s && !Json.has(s, "defaultMode")) {
                s.put("defaultMode", DEFAULT_MODE);
            }
        }
        downwardApiItems(Json.obj(vol, "downwardAPI"));
        for (JsonNode source : Json.items(Json.obj(vol, "projected"), "sources")) {
            downwardApiItems(Json.obj(source, "downwardAPI"));
            if (Json.obj(source, "serviceAccountToken") instanceof ObjectNode token
                    && !Json.has(token, "expirationSeconds")) {
                token.put("expirationSeconds", 3600);
            }
        }
        ObjectNode claimSpec = Json.path(vol, "ephemeral", "volumeClaimTemplate", "spec");
        if (claimSpec != null) {
            putIfAbsent(claimSpec, "volumeMode", "Filesystem");
        }
    }

    private static void downwardApiItems(ObjectNode downwardApi) {
        for (JsonNode item : Json.items(downwardApi, "items")) {
            if (Json.obj(item, "fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
    }

    private static void container(ObjectNode ctr) {
        if (Json.str(ctr, "imagePullPolicy").isEmpty()) {
            // a :latest tag, or no tag and no digest, means the image may change under the same name
            ctr.put(
                    "imagePullPolicy",
                    ImageReference.tag(Json.str(ctr, "image")).equals("latest") ? "Always" : "IfNotPresent");
        }
        putIfAbsent(ctr, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(ctr, "terminationMessagePolicy", "File");
        for (JsonNode port : Json.items(ctr, "ports")) {
            putIfAbsent((ObjectNode) port, "protocol", "TCP");
        }
        for (JsonNode env : Json.items(ctr, "env")) {
            if (Json.path(env, "valueFrom", "fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (Json.obj(ctr, probe) instanceof ObjectNode p) {
                zeroDefault(p, "timeoutSeconds", 1);
                zeroDefault(p, "periodSeconds", 10);
                zeroDefault(p, "successThreshold", 1);
                zeroDefault(p, "failureThreshold", 3);
                handler(p);
            }
        }
        ObjectNode lifecycle = Json.obj(ctr, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            if (Json.obj(lifecycle, hook) instanceof ObjectNode h) {
                handler(h);
            }
        }
    }

    private static void handler(ObjectNode handler) {
        if (Json.obj(handler, "httpGet") instanceof ObjectNode get) {
            putIfAbsent(get, "path", "/");
            putIfAbsent(get, "scheme", "HTTP");
        }
        if (Json.obj(handler, "grpc") instanceof ObjectNode grpc && !Json.has(grpc, "service")) {
            grpc.put("service", "");
        }
    }

    /** Probe counts are plain ints upstream, so an explicit 0 is defaulted like an absent value. */
    private static void zeroDefault(ObjectNode node, String field, int value) {
        if (Json.num(node, field, 0) == 0) {
            node.put(field, value);
        }
    }
}
