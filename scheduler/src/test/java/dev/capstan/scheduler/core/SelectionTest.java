package dev.capstan.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectionTest {
    @ParameterizedTest(name = "{1} nodes at {0}% → {2}")
    @CsvSource({
        "0, 10, 10", // below 100 nodes: all
        "0, 99, 99",
        "0, 100, 100",
        "0, 1000, 420", // 50 - 1000/125 = 42%
        "0, 5000, 500", // 50 - 40 = 10%
        "0, 6000, 300", // 50 - 48 = 2% → at least 5%
        "0, 1500, 570", // 38%
        "10, 500, 100", // 10% is 50, but at least 100
        "50, 5000, 2500",
        "100, 5000, 5000",
    })
    void numFeasibleNodesToFind(int percentage, int nodes, int expected) {
        assertThat(Selection.numFeasibleNodesToFind(percentage, nodes)).isEqualTo(expected);
    }

    @Test
    void selectHostPicksTheMaximumAndSpreadsAmongTies() {
        assertThat(Selection.selectHost(new long[] {3, 9, 1}, new Random(1))).isEqualTo(1);
        Set<Integer> seen = new HashSet<>();
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            seen.add(Selection.selectHost(new long[] {7, 2, 7, 7}, r));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 2, 3);
    }
}
