package dev.capstan.node.pods;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import dev.capstan.model.pod.EnvExpansion;
import dev.capstan.model.quantity.Quantity;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerSecurity;
import dev.capstan.node.runtime.LinuxResources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's CRI configuration from its pod: command and args, working dir, environment (values, {@code $(VAR)}
 * references, valueFrom and envFrom, as upstream's kubelet_pods.go makeEnvironmentVariables) and cgroup limits (as
 * kuberuntime_container_linux.go), volume mounts. ConfigMaps and Secrets are read from the API when the container is
 * created.
 */
final class ContainerSpecs {
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";

    /** CFS period (100 ms) and the shares bounds, as upstream's cm.MilliCPUToQuota/MilliCPUToShares. */
    private static final long CPU_PERIOD = 100_000;

    private static final long MIN_SHARES = 2;
    private static final long MAX_SHARES = 262_144;

    /** A container that cannot be configured: CreateContainerConfigError with upstream's message. */
    static final class ConfigError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigError(String message) {
            super(message);
        }
    }

    private final ApiClient api;

    ContainerSpecs(ApiClient api) {
        this.api = api;
    }

    /**
     * @param volumes the host path of each of the pod's volumes, for the container's volumeMounts
     * @param security the container's effective security settings ({@link SecurityContexts})
     */
    ContainerConfig config(
            Pod pod,
            Container c,
            int attempt,
            String podIp,
            String hostIp,
            Allocatable node,
            Map<String, Path> volumes,
            ContainerSecurity security) {
        var b = ContainerConfig.builder(c.getName(), c.getImage())
                .security(security)
                .attempt(attempt)
                .label(POD_NAME, pod.getMetadata().getName())
                .label(POD_NAMESPACE, pod.getMetadata().getNamespace())
                .label(POD_UID, pod.getMetadata().getUid())
                .label(CONTAINER_NAME, c.getName())
                .resources(resources(c))
                .stdin(Boolean.TRUE.equals(c.getStdin()))
                .stdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .tty(Boolean.TRUE.equals(c.getTty()));
        Map<String, String> env = env(pod, c, podIp, hostIp, node);
        env.forEach(b::env);
        PodVolumes.mounts(pod, c, volumes, env).forEach(b::mount);
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            b.command(expandAll(c.getCommand(), env));
        }
        if (c.getArgs() != null && !c.getArgs().isEmpty()) {
            b.args(expandAll(c.getArgs(), env));
        }
        if (c.getWorkingDir() != null) {
            b.workingDir(c.getWorkingDir());
        }
        return b.build();
    }

    /** The node's allocatable cpu (millicores) and memory (bytes): resourceFieldRef's value when no limit is set. */
    public record Allocatable(long milliCpu, long memoryBytes) {}

    /** Upstream's limits → CRI: shares from the cpu request, quota from the cpu limit, memory limit in bytes. */
    static LinuxResources resources(Container c) {
        Quantity cpuRequest = quantity(c, false, "cpu");
        Quantity cpuLimit = quantity(c, true, "cpu");
        Quantity memoryLimit = quantity(c, true, "memory");
        if (cpuRequest == null && cpuLimit != null) {
            cpuRequest = cpuLimit; // defaulting copies limits into unset requests
        }
        long shares = cpuRequest == null
                ? MIN_SHARES
                : Math.clamp(cpuRequest.milliValue() * 1024 / 1000, MIN_SHARES, MAX_SHARES);
        long quota = 0;
        if (cpuLimit != null) {
            quota = Math.max(1000, cpuLimit.milliValue() * CPU_PERIOD / 1000);
        }
        return new LinuxResources(
                cpuLimit == null ? 0 : CPU_PERIOD, quota, shares, memoryLimit == null ? 0 : memoryLimit.value());
    }

    private static Quantity quantity(Container c, boolean limit, String name) {
        if (c.getResources() == null) {
            return null;
        }
        var map = limit ? c.getResources().getLimits() : c.getResources().getRequests();
        if (map == null || map.get(name) == null) {
            return null;
        }
        return Quantity.parse(map.get(name).toString());
    }

    /** The container's environment in upstream's order: envFrom first, then env, each able to use earlier ones. */
    Map<String, String> env(Pod pod, Container c, String podIp, String hostIp, Allocatable node) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : list(c.getEnvFrom())) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                ConfigMap cm =
                        api.resources(Kinds.CONFIG_MAPS).get(ns, ref.getName()).orElse(null);
                if (cm == null) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
                }
                Objects.requireNonNullElse(cm.getData(), Map.<String, String>of())
                        .forEach((k, v) -> env.put(prefix + k, v));
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                Secret secret =
                        api.resources(Kinds.SECRETS).get(ns, ref.getName()).orElse(null);
                if (secret == null) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ConfigError("secret \"" + ref.getName() + "\" not found");
                }
                Objects.requireNonNullElse(secret.getData(), Map.<String, String>of())
                        .forEach((k, v) -> env.put(prefix + k, decode(v)));
            }
        }
        for (EnvVar e : list(c.getEnv())) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), expand(Objects.requireNonNullElse(e.getValue(), ""), env));
                continue;
            }
            String value = valueFrom(pod, c, e.getValueFrom(), podIp, hostIp, node);
            if (value != null) {
                env.put(e.getName(), value);
            }
        }
        return env;
    }

    private String valueFrom(Pod pod, Container c, EnvVarSource from, String podIp, String hostIp, Allocatable node) {
        String ns = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap cm =
                    api.resources(Kinds.CONFIG_MAPS).get(ns, ref.getName()).orElse(null);
            if (cm == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigError("configmap \"" + ref.getName() + "\" not found");
            }
            String v = cm.getData() == null ? null : cm.getData().get(ref.getKey());
            if (v == null && !optional) {
                throw new ConfigError(
                        "couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return v;
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = api.resources(Kinds.SECRETS).get(ns, ref.getName()).orElse(null);
            if (secret == null) {
                if (optional) {
                    return null;
                }
                throw new ConfigError("secret \"" + ref.getName() + "\" not found");
            }
            String v = secret.getData() == null ? null : secret.getData().get(ref.getKey());
            if (v == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return v == null ? null : decode(v);
        }
        if (from.getFieldRef() != null) {
            return fieldRef(pod, from.getFieldRef().getFieldPath(), podIp, hostIp);
        }
        if (from.getResourceFieldRef() != null) {
            return resourceFieldRef(c, from.getResourceFieldRef(), node);
        }
        return null;
    }

    /** The downward API's fields (upstream podFieldSelectorRuntimeValue and ExtractFieldPathAsString). */
    static String fieldRef(Pod pod, String path, String podIp, String hostIp) {
        var meta = pod.getMetadata();
        Matcher subscript =
                Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]").matcher(path);
        if (subscript.matches()) {
            var map = subscript.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : Objects.requireNonNullElse(map.get(subscript.group(2)), "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" ->
                Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "");
            case "status.hostIP", "status.hostIPs" -> hostIp;
            case "status.podIP", "status.podIPs" -> podIp;
            default -> throw new ConfigError("unsupported fieldPath: " + path);
        };
    }

    /**
     * A downwardAPI volume file's field: the fields of {@link #fieldRef} a volume may use, and the whole labels and
     * annotations as upstream's fieldpath.FormatMap writes them: {@code key="value"} lines, sorted by key.
     */
    static String volumeFieldRef(Pod pod, String path) {
        var meta = pod.getMetadata();
        return switch (path) {
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            default -> fieldRef(pod, path, "", "");
        };
    }

    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(map == null ? Map.<String, String>of() : map).forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(k).append('=').append(goQuote(v));
        });
        return out.toString();
    }

    /** Go's %q of a string: double quotes, with backslash escapes for quotes, backslashes and control characters. */
    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** limits.cpu etc. divided by the divisor and rounded up; a missing limit is the node's allocatable. */
    static String resourceFieldRef(
            Container c, io.fabric8.kubernetes.api.model.ResourceFieldSelector ref, Allocatable node) {
        String resource = ref.getResource();
        boolean limit = resource.startsWith("limits.");
        String name = resource.substring(resource.indexOf('.') + 1);
        Quantity q = quantity(c, limit, name);
        BigDecimal amount;
        if (q != null) {
            amount = q.amount();
        } else if (name.equals("cpu")) {
            amount = limit ? BigDecimal.valueOf(node.milliCpu(), 3) : BigDecimal.ZERO;
        } else if (name.equals("memory")) {
            amount = limit ? BigDecimal.valueOf(node.memoryBytes()) : BigDecimal.ZERO;
        } else {
            amount = BigDecimal.ZERO;
        }
        BigDecimal divisor = ref.getDivisor() == null
                ? BigDecimal.ONE
                : Quantity.parse(ref.getDivisor().toString()).amount();
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String[] expandAll(List<String> values, Map<String, String> env) {
        return values.stream().map(v -> expand(v, env)).toArray(String[]::new);
    }

    static String expand(String value, Map<String, String> env) {
        return EnvExpansion.expand(value, env);
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
