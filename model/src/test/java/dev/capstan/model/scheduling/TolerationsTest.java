package dev.capstan.model.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TolerationsTest {

    /** upstream toleration_test.go TestTolerationToleratesTaint: toleration key/op/value/effect vs taint. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty toleration does not tolerate a valued taint | '' | '' | '' | '' | foo | bar | NoSchedule | false",
                "same key and effect, Exists, taint without value | foo | Exists | '' | NoSchedule | foo | '' | NoSchedule | true",
                "same key and effect, Exists, taint with value | foo | Exists | '' | NoSchedule | foo | bar | NoSchedule | true",
                "same key, effect and value, Equal | foo | Equal | bar | NoSchedule | foo | bar | NoSchedule | true",
                "same key and effect, Equal, different value | foo | Equal | value1 | NoSchedule | foo | value2 | NoSchedule | false",
                "same key and value, different effect | foo | Equal | bar | NoSchedule | foo | bar | NoExecute | false",
                "empty operator means Equal | foo | '' | bar | NoSchedule | foo | bar | NoSchedule | true",
                "empty effect tolerates every effect | foo | Exists | '' | '' | foo | bar | NoExecute | true",
                "empty key with Exists tolerates every taint | '' | Exists | '' | '' | foo | bar | PreferNoSchedule | true",
                "different key | foo | Exists | '' | '' | other | bar | NoSchedule | false",
                "unknown operator tolerates nothing | foo | Gt | bar | NoSchedule | foo | bar | NoSchedule | false",
            })
    void toleratesAsUpstream(
            String name,
            String key,
            String op,
            String value,
            String effect,
            String taintKey,
            String taintValue,
            String taintEffect,
            boolean expected) {
        Toleration t = new Toleration(effect, key, op, null, value);
        Taint taint = new Taint(taintEffect, taintKey, null, taintValue);
        assertThat(Tolerations.toleratesTaint(t, taint)).as(name).isEqualTo(expected);
    }

    @Test
    void findsTheFirstUntoleratedTaintThatPassesTheFilter() {
        Taint prefer = new Taint("PreferNoSchedule", "soft", null, "");
        Taint noSchedule = new Taint("NoSchedule", "hard", null, "");
        Taint noExecute = new Taint("NoExecute", "gone", null, "");
        List<Toleration> tolerations = List.of(new Toleration("NoSchedule", "hard", "Exists", null, null));
        List<Taint> taints = List.of(prefer, noSchedule, noExecute);

        assertThat(Tolerations.findUntoleratedTaint(taints, tolerations, Tolerations::isNoScheduleOrNoExecute))
                .contains(noExecute);
        assertThat(Tolerations.findUntoleratedTaint(taints, tolerations, null)).contains(prefer);
        assertThat(Tolerations.findUntoleratedTaint(List.of(noSchedule), tolerations, null))
                .isEmpty();
        assertThat(Tolerations.findUntoleratedTaint(null, tolerations, null)).isEmpty();
        assertThat(Tolerations.tolerate(null, noSchedule)).isFalse();
    }
}
