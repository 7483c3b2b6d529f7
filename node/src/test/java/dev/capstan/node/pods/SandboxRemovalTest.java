package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SandboxRemovalTest {
    private static final int PODS = 4;

    private final FakeContainerRuntime fake = new FakeContainerRuntime().addImage("busybox");

    @Test
    void removesEverySandboxAndItsContainers() {
        startPods();

        SandboxRemoval.removeAll(fake, fake.listPodSandboxes(Map.of()), Duration.ofSeconds(2));

        assertThat(fake.listPodSandboxes(Map.of())).isEmpty();
        assertThat(fake.calls().stream().filter(c -> c.startsWith("RemoveContainer")))
                .hasSize(PODS);
    }

    @Test
    void stopsThePodsAtTheSameTime() {
        startPods();
        // Each stop waits until all pods' stops have begun: one pod after another, the first would wait in vain.
        CountDownLatch allStopping = new CountDownLatch(PODS);
        List<Boolean> metTheOthers = new CopyOnWriteArrayList<>();
        ContainerRuntime stopsMeet = (ContainerRuntime) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().equals("stopContainer")) {
                        allStopping.countDown();
                        metTheOthers.add(allStopping.await(10, TimeUnit.SECONDS));
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        SandboxRemoval.removeAll(stopsMeet, fake.listPodSandboxes(Map.of()), Duration.ofSeconds(2));

        assertThat(metTheOthers).hasSize(PODS).containsOnly(true);
        assertThat(fake.listPodSandboxes(Map.of())).isEmpty();
    }

    private void startPods() {
        for (int i = 0; i < PODS; i++) {
            PodSandboxConfig config = PodSandboxConfig.of(new PodMetadata("p" + i, "default", "u" + i, 0), "/logs");
            String sandbox = fake.runPodSandbox(config);
            String container = fake.createContainer(
                    sandbox, ContainerConfig.builder("main", "busybox").build(), config);
            fake.startContainer(container);
        }
    }
}
