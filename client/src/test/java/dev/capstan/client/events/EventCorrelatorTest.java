package dev.capstan.client.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCorrelatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final EventCorrelator correlator = new EventCorrelator(clock);
    private int revision;

    private static Event event(String object) {
        return new EventBuilder()
                .withNewMetadata()
                .withName(object + ".1")
                .withNamespace("web")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withApiVersion("v1")
                .withNamespace("web")
                .withName(object)
                .withUid("uid-" + object)
                .endInvolvedObject()
                .withNewSource()
                .withComponent("kubelet")
                .endSource()
                .withType("Normal")
                .withReason("Pulled")
                .withMessage("pulled")
                .withCount(1)
                .withFirstTimestamp("2025-03-01T10:00:00Z")
                .withLastTimestamp("2025-03-01T10:00:00Z")
                .build();
    }

    /** Correlates and then plays the server: the written Event comes back with a resourceVersion. */
    private EventCorrelator.Result write(Event event) {
        EventCorrelator.Result result = correlator.correlate(event);
        Event written = new EventBuilder(result.event()).build();
        written.getMetadata().setResourceVersion(Integer.toString(++revision));
        correlator.updateState(written);
        return result;
    }

    /** The LRU holds 4096 observations: a repeat is a patch while its Event is among them, a new Event after. */
    @ParameterizedTest
    @CsvSource({"4095, true", "4096, false"})
    void observationsAreBoundedByTheLru(int others, boolean patched) {
        write(event("first"));
        for (int i = 0; i < others; i++) {
            clock.advance(Duration.ofMinutes(5)); // keep every object's spam budget out of the way
            write(event("other-" + i));
        }
        EventCorrelator.Result repeat = write(event("first"));
        assertThat(repeat.skip()).isFalse();
        assertThat(repeat.patch() != null).isEqualTo(patched);
        assertThat(repeat.event().getCount()).isEqualTo(patched ? 2 : 1);
    }

    @ParameterizedTest
    @CsvSource({"kind, Node", "name, other", "uid, other", "component, scheduler", "type, Warning", "reason, Failed"})
    void aRepeatMustMatchInEveryKeyField(String field, String value) {
        write(event("web-1"));
        Event changed = event("web-1");
        switch (field) {
            case "kind" -> changed.getInvolvedObject().setKind(value);
            case "name" -> changed.getInvolvedObject().setName(value);
            case "uid" -> changed.getInvolvedObject().setUid(value);
            case "component" -> changed.getSource().setComponent(value);
            case "type" -> changed.setType(value);
            default -> changed.setReason(value);
        }
        assertThat(write(changed).patch()).isNull();
        assertThat(write(event("web-1")).patch()).contains("\"count\":2");
    }
}
