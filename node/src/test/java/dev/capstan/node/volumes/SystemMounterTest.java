package dev.capstan.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemMounterTest {
    @Test
    void mountinfoEscapesAreDecoded() {
        assertThat(SystemMounter.unescape("/var/lib/my\\040dir\\134x")).isEqualTo("/var/lib/my dir\\x");
        assertThat(SystemMounter.unescape("/plain")).isEqualTo("/plain");
    }
}
