package dev.capstan.model.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Containers with resources written as "cpu=1,memory=1Gi" strings, to keep test tables short. */
final class PodFixtures {
    private PodFixtures() {}

    static Container container(String requests, String limits) {
        return new ContainerBuilder()
                .withName("c")
                .withNewResources()
                .withRequests(list(requests))
                .withLimits(list(limits))
                .endResources()
                .build();
    }

    static Container sidecar(String requests, String limits) {
        Container c = container(requests, limits);
        c.setRestartPolicy("Always");
        return c;
    }

    static Map<String, Quantity> list(String spec) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (spec != null && !spec.isEmpty()) {
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=");
                out.put(kv[0], new Quantity(kv[1]));
            }
        }
        return out;
    }
}
