package dev.capstan.scheduler.plugins.schedulinggates;

import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreEnqueuePlugin;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import java.util.List;

/** Upstream's schedulinggates plugin: a pod with spec.schedulingGates does not enter the active queue. */
public final class SchedulingGates implements PreEnqueuePlugin {
    public static final String NAME = "SchedulingGates";
    public static final PluginFactory FACTORY = handle -> new SchedulingGates();

    private SchedulingGates() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preEnqueue(PodInfo pod) {
        List<PodSchedulingGate> gates = pod.pod().getSpec().getSchedulingGates();
        if (gates == null || gates.isEmpty()) {
            return Status.SUCCESS;
        }
        // upstream prints the []string of names with %v: "[a b]"
        List<String> names = gates.stream().map(PodSchedulingGate::getName).toList();
        return Status.unresolvable("waiting for scheduling gates: [" + String.join(" ", names) + "]");
    }
}
