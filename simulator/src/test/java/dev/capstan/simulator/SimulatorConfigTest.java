package dev.capstan.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    @Test
    void defaults() {
        var parsed = SimulatorConfig.parse(new String[0], new Properties());
        assertThat(parsed.config().nodes()).isEqualTo(3);
        assertThat(parsed.config().nodeName(7)).isEqualTo("sim-node-0007");
        assertThat(parsed.connection().api()).isEqualTo("127.0.0.1:6444");
        assertThat(parsed.connection().tokenFile()).isEqualTo(Path.of(".capstan/data/tokens/node"));
    }

    @Test
    void flagsWinOverSystemProperties() {
        Properties system = new Properties();
        system.setProperty("capstan.simulator.nodes", "10");
        system.setProperty("capstan.simulator.zones", "2");
        var parsed = SimulatorConfig.parse(
                new String[] {"--nodes", "5000", "--prefix=kw-", "--memory", "64Gi", "--api", "10.0.0.1:7000"}, system);
        assertThat(parsed.config().nodes()).isEqualTo(5000);
        assertThat(parsed.config().zones()).isEqualTo(2);
        assertThat(parsed.config().zone(3)).isEqualTo("zone-b");
        assertThat(parsed.config().nodeName(42)).isEqualTo("kw-0042");
        assertThat(parsed.config().memory().toString()).isEqualTo("64Gi");
        assertThat(parsed.connection().api()).isEqualTo("10.0.0.1:7000");
    }

    @Test
    void badFlagsSayWhatToChange() {
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--nodez", "3"}, new Properties()))
                .hasMessageContaining("unknown flag --nodez");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--cpu", "lots"}, new Properties()))
                .hasMessageContaining("--cpu must be a quantity");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--nodes", "-1"}, new Properties()))
                .hasMessageContaining("--nodes must be between 0 and");
        assertThatThrownBy(() -> SimulatorConfig.parse(new String[] {"--nodes"}, new Properties()))
                .hasMessageContaining("needs a value");
    }
}
