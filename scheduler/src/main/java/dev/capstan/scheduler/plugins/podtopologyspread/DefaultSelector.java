package dev.capstan.scheduler.plugins.podtopologyspread;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.Requirement;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.meta.GroupVersion;
import dev.capstan.model.meta.OwnerReferences;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.WorkloadListers;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's helper.DefaultSelector: the selector that system-default spreading counts pods with — the merged
 * selectors of the Services selecting the pod, plus the selector of its controlling ReplicationController,
 * ReplicaSet or StatefulSet (apps/v1, by the controller owner reference). Empty when none applies.
 */
final class DefaultSelector {
    private DefaultSelector() {}

    static LabelSelector of(PodInfo pod, WorkloadListers listers) {
        Map<String, String> labelSet = new HashMap<>();
        for (Service s : listers.services(pod.namespace())) {
            Map<String, String> selector =
                    s.getSpec() == null ? null : s.getSpec().getSelector();
            // a nil selector matches nothing (not everything); an empty one matches all and adds nothing
            if (selector != null && LabelSelector.fromSet(selector).matches(pod.labels())) {
                labelSet.putAll(selector);
            }
        }
        LabelSelector selector = LabelSelector.fromSet(labelSet);
        Optional<OwnerReference> owner = OwnerReferences.controllerOf(pod.pod());
        if (owner.isEmpty() || owner.get().getName() == null) {
            return selector;
        }
        GroupVersion gv;
        try {
            gv = GroupVersion.parse(owner.get().getApiVersion());
        } catch (IllegalArgumentException e) {
            return selector;
        }
        String kind = owner.get().getKind();
        String name = owner.get().getName();
        if (gv.equals(new GroupVersion("", "v1")) && "ReplicationController".equals(kind)) {
            ReplicationController rc = listers.replicationController(pod.namespace(), name);
            Map<String, String> rcSelector =
                    rc == null || rc.getSpec() == null ? null : rc.getSpec().getSelector();
            if (rc != null) {
                if (rcSelector != null) {
                    labelSet.putAll(rcSelector);
                }
                selector = LabelSelector.fromSet(labelSet);
            }
        } else if (gv.equals(new GroupVersion("apps", "v1")) && "ReplicaSet".equals(kind)) {
            ReplicaSet rs = listers.replicaSet(pod.namespace(), name);
            if (rs != null && rs.getSpec() != null) {
                selector = add(selector, rs.getSpec().getSelector());
            }
        } else if (gv.equals(new GroupVersion("apps", "v1")) && "StatefulSet".equals(kind)) {
            StatefulSet ss = listers.statefulSet(pod.namespace(), name);
            if (ss != null && ss.getSpec() != null) {
                selector = add(selector, ss.getSpec().getSelector());
            }
        }
        return selector;
    }

    /** selector.Add(other's requirements); a nil (nothing) or unparsable controller selector adds nothing. */
    private static LabelSelector add(
            LabelSelector selector, io.fabric8.kubernetes.api.model.LabelSelector controllerSelector) {
        LabelSelector other;
        try {
            other = LabelSelector.of(controllerSelector);
        } catch (SelectorParseException e) {
            return selector;
        }
        if (other.matchesNothing()) {
            return selector;
        }
        List<Requirement> all = new ArrayList<>(selector.requirements());
        all.addAll(other.requirements());
        return LabelSelector.of(all);
    }
}
