package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.node.runtime.ContainerSecurity;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecsTest {
    private final FakeApiClient api = new FakeApiClient();
    private final ContainerSpecs specs = new ContainerSpecs(api);
    private final ContainerSpecs.Allocatable node = NodeContext.allocatable(2000, 4L << 30);

    private static Pod pod(Container c) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .withUid("u-1")
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .withContainers(c)
                .endSpec()
                .build();
    }

    @Test
    void envResolvesEveryKindOfSourceInUpstreamsOrder() {
        api.resources(Kinds.CONFIG_MAPS)
                .create(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("cm")
                        .withNamespace("ns")
                        .endMetadata()
                        .withData(Map.of("mode", "fast", "level", "3"))
                        .build());
        api.resources(Kinds.SECRETS)
                .create(new SecretBuilder()
                        .withNewMetadata()
                        .withName("s")
                        .withNamespace("ns")
                        .endMetadata()
                        .withData(Map.of("password", Base64.getEncoder().encodeToString("hunter2".getBytes())))
                        .build());
        Container c = new ContainerBuilder()
                .withName("app")
                .withImage("busybox")
                .addNewEnvFrom()
                .withPrefix("CM_")
                .withNewConfigMapRef("cm", false)
                .endEnvFrom()
                .addNewEnv()
                .withName("PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "s", false)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("MODE")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("mode", "cm", false)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("POD")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("APP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.labels['app']")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("IP")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("status.podIP")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("MEM")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.memory")
                .withDivisor(new Quantity("1Mi"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("GREETING")
                .withValue("$(POD) in $(MODE) mode, $$(POD) and $(UNKNOWN)")
                .endEnv()
                .build();

        Map<String, String> env = specs.env(pod(c), c, "10.244.0.5", "192.0.2.1", node);

        assertThat(env)
                .containsEntry("CM_mode", "fast")
                .containsEntry("CM_level", "3")
                .containsEntry("PASSWORD", "hunter2")
                .containsEntry("MODE", "fast")
                .containsEntry("POD", "p")
                .containsEntry("APP", "web")
                .containsEntry("IP", "10.244.0.5")
                .containsEntry("MEM", "4096")
                .containsEntry("GREETING", "p in fast mode, $(POD) and $(UNKNOWN)");
        // envFrom first; its keys in the ConfigMap's order, which Map.of leaves to chance
        assertThat(env.keySet().stream().limit(2)).containsExactlyInAnyOrder("CM_mode", "CM_level");
        assertThat(env.keySet()).doesNotContainNull();
    }

    @Test
    void missingSourcesFailWithUpstreamsMessagesUnlessOptional() {
        Container missingKey = new ContainerBuilder()
                .withName("app")
                .addNewEnv()
                .withName("X")
                .withNewValueFrom()
                .withNewSecretKeyRef("k", "nope", false)
                .endValueFrom()
                .endEnv()
                .build();
        assertThatThrownBy(() -> specs.env(pod(missingKey), missingKey, "", "", node))
                .isInstanceOf(ContainerSpecs.ConfigError.class)
                .hasMessage("secret \"nope\" not found");
        Container optional = new ContainerBuilder()
                .withName("app")
                .addNewEnv()
                .withName("X")
                .withNewValueFrom()
                .withNewSecretKeyRef("k", "nope", true)
                .endValueFrom()
                .endEnv()
                .build();
        assertThat(specs.env(pod(optional), optional, "", "", node)).doesNotContainKey("X");
    }

    @Test
    void stdinStdinOnceAndTtyReachTheRuntime() {
        Container c = new ContainerBuilder()
                .withName("app")
                .withImage("busybox")
                .withStdin(true)
                .withStdinOnce(true)
                .withTty(true)
                .build();
        var config = specs.config(pod(c), c, 0, "", "", node, Map.of(), ContainerSecurity.DEFAULT);
        assertThat(config.stdin()).isTrue();
        assertThat(config.stdinOnce())
                .as("kubectl run -i: the first attach's EOF closes stdin")
                .isTrue();
        assertThat(config.tty()).isTrue();
        Container plain =
                new ContainerBuilder().withName("app").withImage("busybox").build();
        var defaults = specs.config(pod(plain), plain, 0, "", "", node, Map.of(), ContainerSecurity.DEFAULT);
        assertThat(List.of(defaults.stdin(), defaults.stdinOnce(), defaults.tty()))
                .containsOnly(false);
    }

    @Test
    void resourcesBecomeCgroupLimits() {
        Container c = new ContainerBuilder()
                .withName("app")
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToLimits("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("64Mi"))
                .endResources()
                .build();
        var r = ContainerSpecs.resources(c);
        assertThat(r.cpuShares()).isEqualTo(256);
        assertThat(r.cpuPeriodMicros()).isEqualTo(100_000);
        assertThat(r.cpuQuotaMicros()).isEqualTo(50_000);
        assertThat(r.memoryLimitBytes()).isEqualTo(64L << 20);
        var none = ContainerSpecs.resources(new ContainerBuilder().withName("x").build());
        assertThat(none.cpuShares()).isEqualTo(2);
        assertThat(none.cpuQuotaMicros()).isZero();
    }
}
