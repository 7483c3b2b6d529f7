package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
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
        ObjectNode spec = KubeJson.child(pod, "spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode ctr : JsonReads.items(spec, list)) {
                requestsFromLimits((ObjectNode) ctr);
            }
        }
        if (!JsonReads.has(spec, "enableServiceLinks")) {
            spec.put("enableServiceLinks", true);
        }
        if (JsonReads.bool(spec, "hostNetwork")) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode ctr : JsonReads.items(spec, list)) {
                    for (JsonNode port : JsonReads.items(ctr, "ports")) {
                        if (JsonReads.numOr(port, 0, "hostPort") == 0) {
                            ((ObjectNode) port).put("hostPort", (int) JsonReads.numOr(port, 0, "containerPort"));
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
            node = KubeJson.child(node, f);
        }
        spec(KubeJson.child(node, "spec"));
    }

    /** Limits double as requests for any resource that has no request (pods only). */
    private static void requestsFromLimits(ObjectNode ctr) {
        ObjectNode resources = JsonReads.obj(ctr, "resources");
        ObjectNode limits = JsonReads.obj(resources, "limits");
        if (limits == null) {
            return;
        }
        ObjectNode requests = KubeJson.child(resources, "requests");
        for (Map.Entry<String, JsonNode> e : limits.properties()) {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    static void spec(ObjectNode spec) {
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "restartPolicy", "Always");
        if (!JsonReads.has(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        if (!JsonReads.has(spec, "terminationGracePeriodSeconds")) {
            spec.put("terminationGracePeriodSeconds", 30);
        }
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        for (JsonNode vol : JsonReads.items(spec, "volumes")) {
            volume((ObjectNode) vol);
        }
        for (String list : CONTAINER_LISTS) {
            for (JsonNode ctr : JsonReads.items(spec, list)) {
                container((ObjectNode) ctr);
            }
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "overhead"));
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "resources", "limits"));
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "resources", "requests"));
    }

    static void putIfAbsent(ObjectNode node, String field, String value) {
        if (JsonReads.str(node, field).isEmpty()) {
            node.put(field, value);
        }
    }

    private static void volume(ObjectNode vol) {
        boolean hasSource = vol.properties().stream()
                .anyMatch(e -> !e.getKey().equals("name") && !e.getValue().isNull());
        if (!hasSource) {
            vol.putObject("emptyDir");
        }
        if (JsonReads.obj(vol, "hostPath") instanceof ObjectNode hostPath && !hostPath.has("type")) {
            hostPath.put("type", "");
        }
        for (String source : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (JsonReads.obj(vol, source) instanceof ObjectNode s && !JsonReads.has(s, "defaultMode")) {
                s.put("defaultMode", DEFAULT_MODE);
            }
        }
        downwardApiItems(JsonReads.obj(vol, "downwardAPI"));
        for (JsonNode source : JsonReads.items(JsonReads.obj(vol, "projected"), "sources")) {
            downwardApiItems(JsonReads.obj(source, "downwardAPI"));
            if (JsonReads.obj(source, "serviceAccountToken") instanceof ObjectNode token
                    && !JsonReads.has(token, "expirationSeconds")) {
                token.put("expirationSeconds", 3600);
            }
        }
        if (JsonReads.obj(vol, "iscsi") instanceof ObjectNode iscsi) {
            putIfAbsent(iscsi, "iscsiInterface", "default");
        }
        if (JsonReads.obj(vol, "rbd") instanceof ObjectNode rbd) {
            putIfAbsent(rbd, "pool", "rbd");
            putIfAbsent(rbd, "user", "admin");
            putIfAbsent(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (JsonReads.obj(vol, "azureDisk") instanceof ObjectNode disk) {
            // pointer fields: only an absent value is defaulted, an explicit "" stays
            absentDefault(disk, "cachingMode", "ReadWrite");
            absentDefault(disk, "fsType", "ext4");
            if (!JsonReads.has(disk, "readOnly")) {
                disk.put("readOnly", false);
            }
            absentDefault(disk, "kind", "Shared");
        }
        if (JsonReads.obj(vol, "scaleIO") instanceof ObjectNode scaleIo) {
            putIfAbsent(scaleIo, "storageMode", "ThinProvisioned");
            putIfAbsent(scaleIo, "fsType", "xfs");
        }
        claimSpec(JsonReads.obj(vol, "ephemeral", "volumeClaimTemplate", "spec"));
    }

    /** SetDefaults_PersistentVolumeClaimSpec and its resource lists, for claim templates. */
    static void claimSpec(ObjectNode claimSpec) {
        if (claimSpec == null) {
            return;
        }
        if (!JsonReads.has(claimSpec, "volumeMode")) {
            claimSpec.put("volumeMode", "Filesystem");
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(claimSpec, "resources", "limits"));
        ResourceRules.roundUpToMilli(JsonReads.obj(claimSpec, "resources", "requests"));
    }

    private static void absentDefault(ObjectNode node, String field, String value) {
        if (!JsonReads.has(node, field)) {
            node.put(field, value);
        }
    }

    private static void downwardApiItems(ObjectNode downwardApi) {
        for (JsonNode item : JsonReads.items(downwardApi, "items")) {
            if (JsonReads.obj(item, "fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
    }

    private static void container(ObjectNode ctr) {
        if (JsonReads.str(ctr, "imagePullPolicy").isEmpty()) {
            // a :latest tag, or no tag and no digest, means the image may change under the same name
            ctr.put(
                    "imagePullPolicy",
                    ImageReference.tag(JsonReads.str(ctr, "image")).equals("latest") ? "Always" : "IfNotPresent");
        }
        putIfAbsent(ctr, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(ctr, "terminationMessagePolicy", "File");
        for (JsonNode port : JsonReads.items(ctr, "ports")) {
            putIfAbsent((ObjectNode) port, "protocol", "TCP");
        }
        for (JsonNode env : JsonReads.items(ctr, "env")) {
            if (JsonReads.obj(env, "valueFrom", "fieldRef") instanceof ObjectNode ref) {
                putIfAbsent(ref, "apiVersion", "v1");
            }
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(ctr, "resources", "limits"));
        ResourceRules.roundUpToMilli(JsonReads.obj(ctr, "resources", "requests"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (JsonReads.obj(ctr, probe) instanceof ObjectNode p) {
                zeroDefault(p, "timeoutSeconds", 1);
                zeroDefault(p, "periodSeconds", 10);
                zeroDefault(p, "successThreshold", 1);
                zeroDefault(p, "failureThreshold", 3);
                handler(p);
            }
        }
        ObjectNode lifecycle = JsonReads.obj(ctr, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            if (JsonReads.obj(lifecycle, hook) instanceof ObjectNode h) {
                handler(h);
            }
        }
    }

    private static void handler(ObjectNode handler) {
        if (JsonReads.obj(handler, "httpGet") instanceof ObjectNode get) {
            putIfAbsent(get, "path", "/");
            putIfAbsent(get, "scheme", "HTTP");
        }
        if (JsonReads.obj(handler, "grpc") instanceof ObjectNode grpc && !JsonReads.has(grpc, "service")) {
            grpc.put("service", "");
        }
    }

    /** Probe counts are plain ints upstream, so an explicit 0 is defaulted like an absent value. */
    private static void zeroDefault(ObjectNode node, String field, int value) {
        if (JsonReads.numOr(node, 0, field) == 0) {
            node.put(field, value);
        }
    }
}
