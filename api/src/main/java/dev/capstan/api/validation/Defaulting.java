package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.List;

/**
 * Upstream's defaulting (pkg/apis/{core,apps,batch}/v1/defaults.go and the generated walkers into nested types) for
 * the served kinds. Run it before validation, as kube-apiserver does when decoding a request. ConfigMap's default
 * (an empty data map) has no effect on the JSON upstream serves (the map is omitted when empty), so it is not applied.
 */
public final class Defaulting {
    private Defaulting() {}

    private static void replicas(ObjectNode obj) {
        ObjectNode spec = KubeJson.child(obj, "spec");
        putIfAbsent(spec, "replicas", 1);
        PodDefaults.template(obj, "spec", "template");
    }

    /** Numbers are written as ints, the node type Jackson reads small JSON integers into. */
    private static void putIfAbsent(ObjectNode node, String field, int value) {
        if (!JsonReads.has(node, field)) {
            node.put(field, value);
        }
    }

    public static void deployment(ObjectNode d) {
        ObjectNode spec = KubeJson.child(d, "spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = KubeJson.child(spec, "strategy");
        PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
        if (JsonReads.str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode rolling = KubeJson.child(strategy, "rollingUpdate");
            if (!JsonReads.has(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (!JsonReads.has(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        PodDefaults.template(d, "spec", "template");
    }

    public static void statefulSet(ObjectNode s) {
        ObjectNode spec = KubeJson.child(s, "spec");
        PodDefaults.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = KubeJson.child(spec, "updateStrategy");
        if (JsonReads.str(strategy, "type").isEmpty()) {
            strategy.put("type", "RollingUpdate");
            KubeJson.child(strategy, "rollingUpdate");
        }
        if (JsonReads.str(strategy, "type").equals("RollingUpdate")
                && JsonReads.obj(strategy, "rollingUpdate") != null) {
            putIfAbsent(JsonReads.obj(strategy, "rollingUpdate"), "partition", 0);
        }
        // StatefulSetAutoDeletePVC is GA in 1.32
        ObjectNode retention = KubeJson.child(spec, "persistentVolumeClaimRetentionPolicy");
        PodDefaults.putIfAbsent(retention, "whenDeleted", "Retain");
        PodDefaults.putIfAbsent(retention, "whenScaled", "Retain");
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(s, "spec", "template");
        // the claim templates get SetDefaults_PersistentVolumeClaim, a Pending phase included
        for (JsonNode claim : JsonReads.items(spec, "volumeClaimTemplates")) {
            ObjectNode c = (ObjectNode) claim;
            PodDefaults.putIfAbsent(KubeJson.child(c, "status"), "phase", "Pending");
            PodDefaults.claimSpec(KubeJson.child(c, "spec"));
        }
    }

    public static void daemonSet(ObjectNode ds) {
        ObjectNode spec = KubeJson.child(ds, "spec");
        ObjectNode strategy = KubeJson.child(spec, "updateStrategy");
        PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
        if (JsonReads.str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode rolling = KubeJson.child(strategy, "rollingUpdate");
            putIfAbsent(rolling, "maxUnavailable", 1);
            putIfAbsent(rolling, "maxSurge", 0);
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(ds, "spec", "template");
    }

    /** SetDefaults_Job and the pod template walk. */
    public static void job(ObjectNode job) {
        ObjectNode spec = KubeJson.child(job, "spec");
        if (!JsonReads.has(spec, "completions") && !JsonReads.has(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        putIfAbsent(spec, "parallelism", 1);
        putIfAbsent(spec, "backoffLimit", JsonReads.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        JsonNode templateLabels = JsonReads.obj(JsonReads.obj(spec, "template", "metadata"), "labels");
        if (templateLabels != null
                && JsonReads.entries(JsonReads.obj(job, "metadata"), "labels").isEmpty()) {
            KubeJson.child(job, "metadata").set("labels", templateLabels.deepCopy());
        }
        PodDefaults.putIfAbsent(spec, "completionMode", "NonIndexed");
        if (!JsonReads.has(spec, "suspend")) {
            spec.put("suspend", false);
        }
        // JobPodReplacementPolicy is beta and on in 1.32
        if (!JsonReads.has(spec, "podReplacementPolicy")) {
            spec.put(
                    "podReplacementPolicy", JsonReads.has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        }
        podFailurePolicy(JsonReads.obj(spec, "podFailurePolicy"));
        if (!JsonReads.has(spec, "manualSelector")) {
            spec.put("manualSelector", false);
        }
        PodDefaults.template(job, "spec", "template");
    }

    private static void podFailurePolicy(ObjectNode policy) {
        for (JsonNode rule : JsonReads.items(policy, "rules")) {
            for (JsonNode pattern : JsonReads.items(rule, "onPodConditions")) {
                PodDefaults.putIfAbsent((ObjectNode) pattern, "status", "True");
            }
        }
    }

    /**
     * CronJob defaults; the job template only gets pod defaults, not the Job ones (its pod failure policy and
     * completions are defaulted when the controller creates the Job).
     */
    public static void cronJob(ObjectNode cj) {
        ObjectNode spec = KubeJson.child(cj, "spec");
        PodDefaults.putIfAbsent(spec, "concurrencyPolicy", "Allow");
        if (!JsonReads.has(spec, "suspend")) {
            spec.put("suspend", false);
        }
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        PodDefaults.template(cj, "spec", "jobTemplate", "spec", "template");
    }

    public static void namespace(ObjectNode ns) {
        String name = JsonReads.str(JsonReads.obj(ns, "metadata"), "name");
        if (!name.isEmpty()) {
            // the immutable kubernetes.io/metadata.name label lets namespace selectors pick a namespace by name
            KubeJson.child(KubeJson.child(ns, "metadata"), "labels").put("kubernetes.io/metadata.name", name);
        }
    }

    public static void service(ObjectNode svc) {
        ObjectNode spec = KubeJson.child(svc, "spec");
        PodDefaults.putIfAbsent(spec, "sessionAffinity", "None");
        String affinity = JsonReads.str(spec, "sessionAffinity");
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP")
                && !JsonReads.has(JsonReads.obj(spec, "sessionAffinityConfig", "clientIP"), "timeoutSeconds")) {
            spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
        }
        PodDefaults.putIfAbsent(spec, "type", "ClusterIP");
        String type = JsonReads.str(spec, "type");
        for (JsonNode p : JsonReads.items(spec, "ports")) {
            ObjectNode port = (ObjectNode) p;
            PodDefaults.putIfAbsent(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null
                    || target.isNull()
                    || (target.isTextual() && target.textValue().isEmpty())
                    || (target.isNumber() && target.asLong() == 0);
            if (unset) {
                port.put("targetPort", (int) JsonReads.numOr(port, 0, "port"));
            }
        }
        boolean external = type.equals("LoadBalancer")
                || type.equals("NodePort")
                || (type.equals("ClusterIP")
                        && !JsonReads.items(spec, "externalIPs").isEmpty());
        if (external) {
            PodDefaults.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (!JsonReads.has(spec, "internalTrafficPolicy")
                && List.of("NodePort", "LoadBalancer", "ClusterIP").contains(type)) {
            spec.put("internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !JsonReads.has(spec, "allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
        // upstream fills these in its IP allocator; a single-stack IPv4 cluster ends up with these values
        if (!type.equals("ExternalName")) {
            PodDefaults.putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
            if (JsonReads.items(spec, "ipFamilies").isEmpty()) {
                // a requested cluster IP decides its family; otherwise the cluster's only family, IPv4
                String ip = JsonReads.str(spec, "clusterIP");
                spec.putArray("ipFamilies").add(Net.isIpv6(ip) ? "IPv6" : "IPv4");
            }
        }
    }

    public static void pod(ObjectNode pod) {
        PodDefaults.pod(pod);
    }

    public static void replicaSet(ObjectNode rs) {
        replicas(rs);
    }

    public static void secret(ObjectNode secret) {
        PodDefaults.putIfAbsent(secret, "type", "Opaque");
    }
}
