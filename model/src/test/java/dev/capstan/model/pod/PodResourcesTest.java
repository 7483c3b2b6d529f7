package dev.capstan.model.pod;

import static dev.capstan.model.pod.PodFixtures.container;
import static dev.capstan.model.pod.PodFixtures.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.quantity.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PodResourcesTest {

    @Test
    void containersAreSummed() {
        PodSpec spec = spec(List.of(container("cpu=1,memory=1Gi", ""), container("cpu=500m", "")), List.of());
        assertThat(text(PodResources.requests(spec))).isEqualTo(Map.of("cpu", "1500m", "memory", "1Gi"));
    }

    @Test
    void regularInitContainersCountAsTheirMaximum() {
        PodSpec spec = spec(
                List.of(container("cpu=1", "")), List.of(container("cpu=2,memory=1Gi", ""), container("cpu=3", "")));
        assertThat(text(PodResources.requests(spec))).isEqualTo(Map.of("cpu", "3", "memory", "1Gi"));
    }

    /** KEP-753: a sidecar runs beside later init containers and the app containers. */
    @Test
    void restartableInitContainersAddUp() {
        PodSpec spec = spec(List.of(container("cpu=1", "")), List.of(sidecar("cpu=1", ""), container("cpu=2", "")));
        // app phase: 1 + 1 sidecar = 2; second init container: 2 + 1 sidecar = 3
        assertThat(text(PodResources.requests(spec))).isEqualTo(Map.of("cpu", "3"));

        PodSpec sidecars = spec(
                List.of(container("cpu=1", "")),
                List.of(sidecar("cpu=1", ""), sidecar("cpu=2", ""), sidecar("cpu=3", "")));
        assertThat(text(PodResources.requests(sidecars))).isEqualTo(Map.of("cpu", "7"));

        PodSpec initAfterBig =
                spec(List.of(container("cpu=1", "")), List.of(container("cpu=5", ""), sidecar("cpu=1", "")));
        // first init container alone: 5; app phase: 1 + 1 = 2
        assertThat(text(PodResources.requests(initAfterBig))).isEqualTo(Map.of("cpu", "5"));
    }

    @Test
    void overheadIsAddedToRequestsAndToTheLimitsThatAreSet() {
        PodSpec spec = spec(List.of(container("cpu=1", "cpu=2")), List.of());
        spec.setOverhead(PodFixtures.list("cpu=250m,memory=120Mi"));
        assertThat(text(PodResources.requests(spec))).isEqualTo(Map.of("cpu", "1250m", "memory", "120Mi"));
        assertThat(text(PodResources.limits(spec))).isEqualTo(Map.of("cpu", "2250m"));
    }

    @Test
    void limitsFollowTheSameRules() {
        PodSpec spec = spec(
                List.of(container("", "cpu=1,memory=1Gi")), List.of(sidecar("", "cpu=1"), container("", "memory=2Gi")));
        assertThat(text(PodResources.limits(spec))).isEqualTo(Map.of("cpu", "2", "memory", "2Gi"));
    }

    @Test
    void nonZeroRequestsFillInTheSchedulersDefaults() {
        PodSpec spec = spec(List.of(container("", ""), container("cpu=0", ""), container("memory=1Gi", "")), List.of());
        Map<String, Quantity> requests = PodResources.nonZeroRequests(spec);
        assertThat(requests.get("cpu").milliValue()).isEqualTo(200);
        assertThat(requests.get("memory").value()).isEqualTo(2 * 200L * 1024 * 1024 + 1024L * 1024 * 1024);
        assertThat(PodResources.requests(spec(List.of(container("", "")), List.of())))
                .isEmpty();
    }

    @Test
    void emptySpecsHaveNoResources() {
        assertThat(PodResources.requests(new PodSpec())).isEmpty();
        assertThat(PodResources.limits(new PodSpec())).isEmpty();
    }

    static PodSpec spec(List<Container> containers, List<Container> initContainers) {
        return new PodSpecBuilder()
                .withContainers(containers)
                .withInitContainers(initContainers)
                .build();
    }

    static Map<String, String> text(Map<String, Quantity> list) {
        Map<String, String> out = new TreeMap<>();
        list.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
