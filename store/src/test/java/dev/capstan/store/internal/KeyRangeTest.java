package dev.capstan.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyRangeTest {

    @ParameterizedTest
    @CsvSource({
        "/registry/pods/, /registry/pods/default/a, true",
        "/registry/pods/, /registry/pods/, true",
        "/registry/pods/, /registry/pods, false",
        "/registry/pods/, /registry/pods0, false",
        "/registry/pods/, /registry/podsx/a, false",
        "/registry/pods, /registry/podsx/a, true",
        "'', /anything, true",
    })
    void aPrefixRangeHoldsExactlyTheKeysWithThatPrefix(String prefix, String key, boolean inside) {
        assertThat(KeyRange.prefix(prefix).contains(key)).isEqualTo(inside);
        assertThat(key.startsWith(prefix)).isEqualTo(inside);
    }
}
