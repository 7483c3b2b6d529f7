package dev.capstan.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.node.runtime.ContainerRuntimeException;
import io.grpc.Status;
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

    @Test
    void anErrorTheRuntimeAnsweredKeepsTheCallForTheLogAndItsWordsForUsers() {
        String detail = "failed to pull and unpack image \"localhost/nope:1\": failed to resolve reference";
        ContainerRuntimeException e = CriRuntime.answered(
                ContainerRuntimeException.Reason.FAILED,
                "CRI PullImage of localhost/nope:1 on /run/c.sock",
                Status.UNKNOWN.withDescription(detail),
                null);

        assertThat(e.getMessage())
                .isEqualTo("CRI PullImage of localhost/nope:1 on /run/c.sock failed: UNKNOWN: " + detail);
        assertThat(e.runtimeMessage()).isEqualTo(detail);
        assertThat(e.rpcError()).isEqualTo("rpc error: code = Unknown desc = " + detail);
    }

    @Test
    void aCallTheRuntimeNeverAnsweredShowsTheAgentsOwnMessage() {
        var e = new ContainerRuntimeException(ContainerRuntimeException.Reason.UNAVAILABLE, "no socket: start it");
        assertThat(e.runtimeMessage()).isEqualTo("no socket: start it");
        assertThat(e.rpcError()).isEqualTo("no socket: start it");
    }

    @Test
    void codesAreSpelledAsGoSpellsThem() {
        assertThat(CriRuntime.goCodeName(Status.Code.UNKNOWN)).isEqualTo("Unknown");
        assertThat(CriRuntime.goCodeName(Status.Code.NOT_FOUND)).isEqualTo("NotFound");
        assertThat(CriRuntime.goCodeName(Status.Code.FAILED_PRECONDITION)).isEqualTo("FailedPrecondition");
        assertThat(CriRuntime.goCodeName(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
        assertThat(CriRuntime.goCodeName(Status.Code.CANCELLED)).isEqualTo("Canceled");
    }
}
