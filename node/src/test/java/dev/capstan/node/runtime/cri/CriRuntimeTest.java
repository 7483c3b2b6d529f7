package dev.capstan.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.node.runtime.ContainerRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriRuntimeTest {

    @Test
    void aMissingSocketSaysWhatToDo(@TempDir Path dir) {
        Path socket = dir.resolve("containerd.sock");
        assertThatThrownBy(() -> CriRuntime.connect(socket, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(
                        ContainerRuntimeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ContainerRuntimeException.Reason.UNAVAILABLE))
                .hasMessage("containerd's socket " + socket + " does not exist: start containerd or let the node agent"
                        + " start its own (ContainerdProcess; apt-get install containerd runc"
                        + " containernetworking-plugins if it is not installed)");
    }

    @Test
    void aSocketNobodyListensOnIsUnavailableNamingTheCall(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("dead.sock");
        Files.createFile(socket);
        try (var runtime = CriRuntime.connect(socket, Duration.ofSeconds(2))) {
            assertThatThrownBy(runtime::version)
                    .isInstanceOfSatisfying(
                            ContainerRuntimeException.class,
                            e -> assertThat(e.reason()).isEqualTo(ContainerRuntimeException.Reason.UNAVAILABLE))
                    .hasMessageStartingWith("CRI Version on " + socket + " failed: the runtime is unavailable");
        }
    }
}
