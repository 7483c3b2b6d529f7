package dev.capstan.client.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class FakeEventRecorderTest {
    @Test
    void recordsInOrderWithUpstreamsStrings() {
        var fake = new FakeEventRecorder();
        Pod a = new PodBuilder()
                .withNewMetadata()
                .withNamespace("web")
                .withName("a")
                .endMetadata()
                .build();
        Pod b = new PodBuilder()
                .withNewMetadata()
                .withNamespace("web")
                .withName("b")
                .endMetadata()
                .build();
        fake.eventf(a, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: %s", "a");
        fake.event(b, EventRecorder.WARNING, "FailedCreate", "quota");
        fake.event(a, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: a");

        assertThat(fake.strings())
                .containsExactly(
                        "Normal SuccessfulCreate Created pod: a",
                        "Warning FailedCreate quota",
                        "Normal SuccessfulCreate Created pod: a");
        assertThat(fake.about(b))
                .containsExactly(new FakeEventRecorder.Recorded("Warning", "FailedCreate", "quota", "Pod", "web", "b"));
        fake.clear();
        assertThat(fake.events()).isEmpty();
    }
}
