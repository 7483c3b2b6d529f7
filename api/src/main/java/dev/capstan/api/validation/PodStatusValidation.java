package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pod status: core validation's ValidatePodStatusUpdate as {@code pods/status} runs it in 1.32 (the pod create and update
 * rules are in {@link PodValidation} and {@link PodUpdateValidation}).
 *
 * <p>The status strategy (pkg/registry/core/pod): the stored spec and owner references are kept, an empty qosClass is
 * backfilled from the stored pod, and fields of gates that are off in 1.32 are dropped: {@code status.resize} and the
 * container statuses' {@code resources} and {@code allocatedResources} (InPlacePodVerticalScaling),
 * {@code allocatedResourcesStatus} (ResourceHealthStatus), {@code user} (SupplementalGroupsPolicy) and
 * {@code resourceClaimStatuses} (DynamicResourceAllocation). {@link #prepareForStatusUpdate} does that, so the
 * validation of those fields never sees a value and is not repeated here.
 */
public final class PodStatusValidation {
    private PodStatusValidation() {}

    private static final Set<String> SYSTEM_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized");
    private static final List<String> STATUS_LISTS =
            List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses");

    /** ValidatePodStatusUpdate; obj is the stored pod with the new status (see {@link #prepareForStatusUpdate}). */
    public static List<Cause> validatePodStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        annotationUpdates(obj, old, errs);
        JsonNode status = JsonReads.obj(obj, "status");
        JsonNode oldStatus = JsonReads.obj(old, "status");
        List<JsonNode> conditions = JsonReads.items(status, "conditions");
        for (int i = 0; i < conditions.size(); i++) {
            String type = JsonReads.str(conditions.get(i), "type");
            if (!SYSTEM_CONDITIONS.contains(type)) {
                // upstream reports conditions under metadata, with a capital T
                errs.invalidEach("metadata.conditions[" + i + "].Type", type, NameRules.qualifiedName(type));
            }
        }
        JsonNode spec = JsonReads.obj(obj, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        if (!JsonReads.str(spec, "nodeName").equals(JsonReads.str(oldSpec, "nodeName"))) {
            errs.forbidden("status.nodeName", "may not be changed directly");
        }
        String nominated = JsonReads.str(status, "nominatedNodeName");
        if (!nominated.equals(JsonReads.str(oldStatus, "nominatedNodeName")) && !nominated.isEmpty()) {
            errs.invalidEach("status.nominatedNodeName", nominated, NameRules.dns1123Subdomain(nominated));
        }
        String qos = JsonReads.str(status, "qosClass");
        if (!qos.equals(JsonReads.str(oldStatus, "qosClass"))) {
            errs.invalid("status.qosClass", qos, "field is immutable");
        }
        String restartPolicy = JsonReads.str(oldSpec, "restartPolicy");
        transitions(status, oldStatus, "containerStatuses", restartPolicy, Set.of(), errs);
        Set<String> restartable = new HashSet<>();
        for (JsonNode c : JsonReads.items(oldSpec, "initContainers")) {
            if (JsonReads.str(c, "restartPolicy").equals("Always")) {
                restartable.add(JsonReads.str(c, "name"));
            }
        }
        transitions(status, oldStatus, "initContainerStatuses", restartPolicy, restartable, errs);
        transitions(status, oldStatus, "ephemeralContainerStatuses", "Never", Set.of(), errs);
        podIps(status, errs);
        hostIps(status, errs);
        return errs.list();
    }

    /** The status strategy's PrepareForUpdate (see the class comment). */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        keep(obj, old, "spec");
        ObjectNode meta = KubeJson.child(obj, "metadata");
        JsonNode oldRefs = JsonReads.obj(old, "metadata") == null
                ? null
                : old.get("metadata").get("ownerReferences");
        if (oldRefs == null || oldRefs.isNull()) {
            meta.remove("ownerReferences");
        } else {
            meta.set("ownerReferences", oldRefs.deepCopy());
        }
        ObjectNode status = KubeJson.child(obj, "status");
        String oldQos = JsonReads.str(JsonReads.obj(old, "status"), "qosClass");
        if (JsonReads.str(status, "qosClass").isEmpty() && !oldQos.isEmpty()) {
            status.put("qosClass", oldQos);
        }
        status.remove("resize");
        status.remove("resourceClaimStatuses");
        for (String list : STATUS_LISTS) {
            for (JsonNode cs : JsonReads.items(status, list)) {
                ((ObjectNode) cs)
                        .remove(List.of("resources", "allocatedResources", "allocatedResourcesStatus", "user"));
            }
        }
    }

    private static void keep(ObjectNode obj, ObjectNode old, String field) {
        if (JsonReads.has(old, field)) {
            obj.set(field, old.get(field).deepCopy());
        } else {
            obj.remove(field);
        }
    }

    /** ValidateContainerStateTransition: a terminated container that may not restart stays terminated. */
    private static void transitions(
            JsonNode status, JsonNode oldStatus, String list, String policy, Set<String> restartable, Errors errs) {
        if (policy.equals("Always")) {
            return;
        }
        List<JsonNode> now = JsonReads.items(status, list);
        List<JsonNode> was = JsonReads.items(oldStatus, list);
        for (int i = 0; i < was.size(); i++) {
            JsonNode terminated = JsonReads.obj(was.get(i), "state", "terminated");
            if (terminated == null) {
                continue;
            }
            if (JsonReads.numOr(terminated, 0, "exitCode") != 0 && policy.equals("OnFailure")) {
                continue;
            }
            String name = JsonReads.str(was.get(i), "name");
            if (restartable.contains(name)) {
                continue;
            }
            for (JsonNode n : now) {
                if (JsonReads.str(n, "name").equals(name) && JsonReads.obj(n, "state", "terminated") == null) {
                    errs.forbidden(
                            "status." + list + "[" + i + "].state", "may not be transitioned to non-terminated state");
                }
            }
        }
    }

    /** The v1 conversion: podIP wins over a disagreeing podIPs[0] and fills an empty list. */
    private static List<String> podIpList(JsonNode status) {
        String single = JsonReads.str(status, "podIP");
        List<String> list = JsonReads.items(status, "podIPs").stream()
                .map(p -> JsonReads.str(p, "ip"))
                .toList();
        if (!single.isEmpty() && (list.isEmpty() || !list.get(0).equals(single))) {
            return List.of(single);
        }
        return list;
    }

    private static void podIps(JsonNode status, Errors errs) {
        List<String> ips = podIpList(status);
        for (int i = 0; i < ips.size(); i++) {
            validIp(ips.get(i), Errors.index("status.podIPs", i), errs);
        }
        if (ips.size() > 1) {
            familyRule(ips, "status.podIPs", "core.PodIP", errs);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ips.size(); i++) {
                if (!seen.add(ips.get(i))) {
                    errs.duplicate(
                            Errors.index("status.podIPs", i),
                            new GoFormat.Literal("core.PodIP{IP:" + GoFormat.quote(ips.get(i)) + "}"));
                }
            }
        }
    }

    private static void hostIps(JsonNode status, Errors errs) {
        List<String> ips = JsonReads.items(status, "hostIPs").stream()
                .map(p -> JsonReads.str(p, "ip"))
                .toList();
        if (ips.isEmpty()) {
            return;
        }
        if (!JsonReads.str(status, "hostIP").equals(ips.get(0))) {
            errs.invalid("status.hostIPs[0].ip", ips.get(0), "must be equal to `hostIP`");
        }
        for (int i = 0; i < ips.size(); i++) {
            validIp(ips.get(i), Errors.index("status.hostIPs", i), errs);
        }
        if (ips.size() > 1) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < ips.size(); i++) {
                if (!seen.add(ips.get(i))) {
                    errs.duplicate(
                            Errors.index("status.hostIPs", i),
                            new GoFormat.Literal("core.HostIP{IP:" + GoFormat.quote(ips.get(i)) + "}"));
                }
            }
            familyRule(ips, "status.hostIPs", "core.HostIP", errs);
        }
    }

    private static void validIp(String ip, String path, Errors errs) {
        if (Net.parseIp(ip) == null) {
            errs.invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }

    /** At most one IP of each family; an unparseable IP fails the dual-stack check with an internal error first. */
    private static void familyRule(List<String> ips, String path, String goType, Errors errs) {
        String literal = ips.stream()
                .map(ip -> goType + "{IP:" + GoFormat.quote(ip) + "}")
                .collect(Collectors.joining(", ", "[]" + goType + "{", "}"));
        String bad =
                ips.stream().filter(ip -> Net.parseIp(ip) == null).findFirst().orElse(null);
        if (bad != null) {
            errs.list()
                    .add(new Cause(
                            "InternalError",
                            "Internal error: failed to check for dual stack with error:invalid IP address: " + bad,
                            path));
        }
        boolean dualStack = bad == null && ips.size() == 2 && Net.isIpv6(ips.get(0)) != Net.isIpv6(ips.get(1));
        if (!dualStack) {
            errs.invalid(path, new GoFormat.Literal(literal), "may specify no more than one IP for each IP family");
        }
    }

    /** ValidatePodSpecificAnnotationUpdates, which ends with ValidatePodSpecificAnnotations. */
    private static void annotationUpdates(ObjectNode obj, ObjectNode old, Errors errs) {
        String path = "metadata.annotations";
        JsonNode meta = JsonReads.obj(obj, "metadata");
        JsonNode oldMeta = JsonReads.obj(old, "metadata");
        JsonNode annotations = JsonReads.obj(meta, "annotations");
        PodAnnotations.updates(annotations, JsonReads.obj(oldMeta, "annotations"), path, errs);
        // The status strategy computes the options from both pods, as an update does.
        JsonNode spec = JsonReads.obj(obj, "spec");
        PodOptions opts = PodOptions.of(spec, JsonReads.obj(old, "spec"), oldMeta, true);
        PodAnnotations.validate(annotations, spec, path, opts, errs);
    }
}
