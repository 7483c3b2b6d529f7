package dev.capstan.node.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.fake.FakeApiClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Registration while the API server is still starting: the agent may start beside it. */
class NodeStatusReporterTest {
    private static final MachineInfo MACHINE =
            new MachineInfo(2, 8L << 30, 50L << 30, "192.0.2.7", "6.1.0", "Debian", "m-1", "b-1", "amd64");

    @Test
    void registersOnceTheApiAnswers() throws InterruptedException {
        var fake = new FakeApiClient();
        var failures = new AtomicInteger(3);
        ApiClient api = failingCreates(fake, failures, new ApiError(503, "ServiceUnavailable", "starting", null));
        NodeStatusReporter reporter = reporter(api);
        try {
            reporter.start();
        } finally {
            reporter.close();
        }
        assertThat(failures).hasValue(-1); // three refused, the fourth went through
        assertThat(fake.resources(Kinds.NODES).get("", "node-a")).isPresent();
        assertThat(reporter.uid()).isNotBlank();
    }

    @Test
    void anErrorThatIsNotTransientFailsAtOnce() {
        var fake = new FakeApiClient();
        var failures = new AtomicInteger(100);
        ApiClient api = failingCreates(fake, failures, new ApiError(403, "Forbidden", "not this node", null));
        NodeStatusReporter reporter = reporter(api);
        assertThatThrownBy(reporter::start).isInstanceOf(ApiError.class).hasMessageContaining("not this node");
        assertThat(failures).hasValue(99);
        assertThat(fake.resources(Kinds.NODES).get("", "node-a")).isEmpty();
    }

    private static NodeStatusReporter reporter(ApiClient api) {
        return new NodeStatusReporter(
                api,
                "node-a",
                MACHINE,
                new NodeStatusReporter.Reserved(100, 256L << 20),
                "containerd://1.6.20",
                Clock.systemUTC(),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                cidr -> {},
                10250);
    }

    /** {@code api} whose Node creates throw {@code error} while {@code failures} counts down above zero. */
    private static ApiClient failingCreates(ApiClient api, AtomicInteger failures, ApiError error) {
        return (ApiClient) Proxy.newProxyInstance(
                ApiClient.class.getClassLoader(), new Class<?>[] {ApiClient.class}, (proxy, method, args) -> {
                    Object result = invoke(method, api, args);
                    if (!method.getName().equals("resources") || args[0] != Kinds.NODES) {
                        return result;
                    }
                    return Proxy.newProxyInstance(
                            ResourceClient.class.getClassLoader(),
                            new Class<?>[] {ResourceClient.class},
                            (inner, call, callArgs) -> {
                                if (call.getName().equals("create") && failures.getAndDecrement() > 0) {
                                    throw error;
                                }
                                return invoke(call, result, callArgs);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
