package dev.capstan.model.pod;

import static dev.capstan.model.pod.PodFixtures.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QosClassTest {

    /**
     * upstream qos_test.go cases: containers as "requests;limits" separated by '|', init containers after '#'.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '!',
            value = {
                "best-effort ! ; ! BestEffort",
                "best-effort-best-effort ! ; | ; ! BestEffort",
                "guaranteed ! cpu=100m,memory=100Mi;cpu=100m,memory=100Mi ! Guaranteed",
                "guaranteed-guaranteed ! cpu=100m,memory=100Mi;cpu=100m,memory=100Mi"
                        + " | cpu=100m,memory=100Mi;cpu=100m,memory=100Mi ! Guaranteed",
                "best-effort-burstable ! ; | cpu=1;cpu=2 ! Burstable",
                "best-effort-guaranteed ! ; | cpu=100m,memory=100Mi;cpu=100m,memory=100Mi ! Burstable",
                "burstable-cpu-only-limit ! ;cpu=100m ! Burstable",
                "burstable-requests-below-limits ! cpu=100m,memory=100Mi;cpu=200m,memory=100Mi ! Burstable",
                "burstable-no-limits ! cpu=100m,memory=100Mi; ! Burstable",
                "best-effort-with-gpu-limit ! ;nvidia.com/gpu=2 ! BestEffort",
                "guaranteed-with-gpu ! cpu=1,memory=1Gi,nvidia.com/gpu=2;cpu=1,memory=1Gi,nvidia.com/gpu=2 ! Guaranteed",
                "limits-only-cpu-and-memory ! ;cpu=1,memory=1Gi ! Burstable",
                "zero-limits-do-not-count ! ;cpu=0,memory=0 ! BestEffort",
                "cpu-1-equals-1000m ! cpu=1,memory=1Gi;cpu=1000m,memory=1024Mi ! Guaranteed",
                "cpu-1000m-equals-1 ! cpu=1000m,memory=1073741824;cpu=1,memory=1Gi ! Guaranteed",
                "guaranteed-with-init ! cpu=1,memory=1Gi;cpu=1,memory=1Gi # cpu=1,memory=1Gi;cpu=1,memory=1Gi"
                        + " ! Guaranteed",
                "burstable-init ! cpu=1,memory=1Gi;cpu=1,memory=1Gi # cpu=1;cpu=2 ! Burstable",
                "unparsable-ignored ! cpu=lots;cpu=1,memory=1Gi ! Burstable",
            })
    void computesUpstreamsClass(String name, String containers, String expected) {
        String[] parts = containers.split("#");
        var pod = new PodBuilder()
                .withNewSpec()
                .withContainers(containers(parts[0]))
                .withInitContainers(parts.length > 1 ? containers(parts[1]) : List.of())
                .endSpec()
                .build();
        assertThat(QosClass.compute(pod.getSpec()).value()).as(name).isEqualTo(expected);
        assertThat(QosClass.of(pod).value()).isEqualTo(expected);
        assertThat(QosClass.compute(KubeJson.tree(pod.getSpec())).value())
                .as(name + ", from JSON")
                .isEqualTo(expected);
    }

    @Test
    void jsonQuantitiesMayBeNumbersAsYamlWritesThem() throws Exception {
        var spec = KubeJson.readTree(("""
                {"containers": [{"name": "a", "resources": {
                    "requests": {"cpu": 1, "memory": "1Gi"}, "limits": {"cpu": "1000m", "memory": 1073741824}}}]}
                """).getBytes(StandardCharsets.UTF_8));
        assertThat(QosClass.compute(spec)).isEqualTo(QosClass.GUARANTEED);
        assertThat(QosClass.compute(KubeJson.readTree("{}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(QosClass.BEST_EFFORT);
    }

    @ParameterizedTest
    @CsvSource({"Guaranteed", "Burstable", "BestEffort"})
    void statedClassWins(String stated) {
        var pod = new PodBuilder()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .withQosClass(stated)
                .endStatus()
                .build();
        assertThat(QosClass.of(pod).toString()).isEqualTo(stated);
    }

    private static List<Container> containers(String text) {
        List<Container> out = new ArrayList<>();
        for (String c : text.split("\\|")) {
            String[] rl = c.strip().split(";", -1);
            out.add(container(rl[0].strip(), rl.length > 1 ? rl[1].strip() : ""));
        }
        return out;
    }
}
