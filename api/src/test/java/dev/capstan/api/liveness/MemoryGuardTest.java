package dev.capstan.api.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {
    private final List<Integer> exits = new ArrayList<>();

    @Test
    void aRequestOutOfMemoryLeavesTheServerReadyWhenTheHeapRecovers() {
        boolean[] unreadyWhileChecking = {false};
        MemoryGuard[] guard = new MemoryGuard[1];
        guard[0] = new MemoryGuard((status, reason) -> exits.add(status), () -> {
            unreadyWhileChecking[0] = !guard[0].healthy();
            return true;
        });
        guard[0].requestFailed("PATCH /api/v1/x", new OutOfMemoryError("Java heap space"));
        assertThat(unreadyWhileChecking[0]).isTrue();
        assertThat(guard[0].healthy()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void aRequestOutOfMemoryExitsWhenTheHeapStaysFull() {
        var guard = new MemoryGuard((status, reason) -> exits.add(status), () -> false);
        guard.requestFailed("PATCH /api/v1/x", new OutOfMemoryError("Java heap space"));
        assertThat(guard.healthy()).isFalse();
        assertThat(exits).containsExactly(ProcessExit.OUT_OF_MEMORY);
    }

    @Test
    void aThreadThatDiesOfOutOfMemoryEndsTheProcess() {
        var guard = new MemoryGuard((status, reason) -> exits.add(status), () -> true);
        guard.threadDied("watch-cache", new OutOfMemoryError("Java heap space"));
        assertThat(guard.healthy()).isFalse();
        assertThat(exits).containsExactly(ProcessExit.OUT_OF_MEMORY);
    }
}
