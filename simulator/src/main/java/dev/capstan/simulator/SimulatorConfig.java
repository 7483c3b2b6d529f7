package dev.capstan.simulator;

import dev.capstan.model.quantity.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the simulator simulates and how fast. Built from {@link #defaults()} with the {@code with*} methods in tests,
 * or from command-line flags and system properties by {@link #parse}.
 *
 * @param nodes how many nodes to register
 * @param prefix node names are the prefix and a four-digit index: {@code sim-node-0000}
 * @param zones how many zones the nodes are spread over round-robin ({@code zone-a}, {@code zone-b}, …)
 * @param cpu capacity and allocatable cpu of each node
 * @param memory capacity and allocatable memory of each node
 * @param pods capacity and allocatable pod count of each node
 * @param instanceType the node.kubernetes.io/instance-type label
 * @param startDelayMin least time between a pod's Pending status and its Running/Ready status
 * @param startDelayMax most such time (a uniform pick in between for each pod)
 * @param finishDelay time between seeing a pod's deletionTimestamp and confirming its termination
 * @param leaseRenewInterval how often each node's Lease is renewed (the kubelet's 10 s)
 * @param leaseDurationSeconds the Lease's leaseDurationSeconds (the kubelet's 40)
 * @param heartbeatInterval how often node conditions' lastHeartbeatTime is refreshed when nothing changes
 * @param podCidrWait how long a pod waits for its node's spec.podCIDR before a derived /24 is used instead
 * @param parallelism most API calls in flight at once
 */
public record SimulatorConfig(
        int nodes,
        String prefix,
        int zones,
        Quantity cpu,
        Quantity memory,
        Quantity pods,
        String instanceType,
        Duration startDelayMin,
        Duration startDelayMax,
        Duration finishDelay,
        Duration leaseRenewInterval,
        int leaseDurationSeconds,
        Duration heartbeatInterval,
        Duration podCidrWait,
        int parallelism) {

    /** Most nodes the simulator can give unique InternalIPs from 10.200.0.0/16 (254 per /24). */
    public static final int MAX_NODES = 254 * 256;

    public SimulatorConfig {
        if (nodes < 0 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 0 and " + MAX_NODES + ", not " + nodes);
        }
        if (zones < 1 || zones > 26) {
            throw new IllegalArgumentException("--zones must be between 1 and 26, not " + zones);
        }
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("--prefix must not be empty");
        }
        if (startDelayMax.compareTo(startDelayMin) < 0) {
            throw new IllegalArgumentException(
                    "the pod start delay's maximum " + startDelayMax + " is below its minimum " + startDelayMin);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(
                3,
                "sim-node-",
                3,
                Quantity.parse("32"),
                Quantity.parse("256Gi"),
                Quantity.parse("110"),
                "sim.large",
                Duration.ZERO,
                Duration.ofMillis(500),
                Duration.ZERO,
                Duration.ofSeconds(10),
                40,
                Duration.ofSeconds(40),
                Duration.ofSeconds(2),
                32);
    }

    public SimulatorConfig withNodes(int count) {
        return new SimulatorConfig(
                count,
                prefix,
                zones,
                cpu,
                memory,
                pods,
                instanceType,
                startDelayMin,
                startDelayMax,
                finishDelay,
                leaseRenewInterval,
                leaseDurationSeconds,
                heartbeatInterval,
                podCidrWait,
                parallelism);
    }

    public SimulatorConfig withStartDelay(Duration min, Duration max) {
        return new SimulatorConfig(
                nodes,
                prefix,
                zones,
                cpu,
                memory,
                pods,
                instanceType,
                min,
                max,
                finishDelay,
                leaseRenewInterval,
                leaseDurationSeconds,
                heartbeatInterval,
                podCidrWait,
                parallelism);
    }

    public SimulatorConfig withTimings(Duration leaseRenew, Duration heartbeat, Duration cidrWait) {
        return new SimulatorConfig(
                nodes,
                prefix,
                zones,
                cpu,
                memory,
                pods,
                instanceType,
                startDelayMin,
                startDelayMax,
                finishDelay,
                leaseRenew,
                leaseDurationSeconds,
                heartbeat,
                cidrWait,
                parallelism);
    }

    /** The name of the node with {@code index}. */
    public String nodeName(int index) {
        return prefix + String.format("%04d", index);
    }

    /** The zone of the node with {@code index}: zone-a, zone-b, … round-robin. */
    public String zone(int index) {
        return "zone-" + (char) ('a' + index % zones);
    }

    /** Where to reach the API and how to authenticate, besides what to simulate. */
    public record Connection(String api, Path tokenFile) {}

    /** The flags, each also settable as a system property {@code capstan.simulator.<flag>}; flags win. */
    public static final List<String> FLAGS = List.of(
            "nodes",
            "api",
            "token-file",
            "prefix",
            "zones",
            "cpu",
            "memory",
            "pods",
            "instance-type",
            "start-delay-max");

    /**
     * Reads {@code --flag value} or {@code --flag=value} arguments over system properties over the defaults.
     *
     * @throws IllegalArgumentException naming the flag that is unknown or has a bad value
     */
    public static Parsed parse(String[] args, Properties system) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String flag : FLAGS) {
            String property = system.getProperty("capstan.simulator." + flag);
            if (property != null) {
                values.put(flag, property);
            }
        }
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "unexpected argument " + arg + "; flags are --" + String.join(", --", FLAGS));
            }
            String flag = arg.substring(2);
            String value;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < rest.size()) {
                value = rest.get(++i);
            } else {
                throw new IllegalArgumentException("flag --" + flag + " needs a value");
            }
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException(
                        "unknown flag --" + flag + "; flags are --" + String.join(", --", FLAGS));
            }
            values.put(flag, value);
        }
        SimulatorConfig d = defaults();
        SimulatorConfig config = new SimulatorConfig(
                integer(values, "nodes", d.nodes()),
                values.getOrDefault("prefix", d.prefix()),
                integer(values, "zones", d.zones()),
                quantity(values, "cpu", d.cpu()),
                quantity(values, "memory", d.memory()),
                quantity(values, "pods", d.pods()),
                values.getOrDefault("instance-type", d.instanceType()),
                d.startDelayMin(),
                values.containsKey("start-delay-max")
                        ? Duration.ofMillis(integer(values, "start-delay-max", 0))
                        : d.startDelayMax(),
                d.finishDelay(),
                d.leaseRenewInterval(),
                d.leaseDurationSeconds(),
                d.heartbeatInterval(),
                d.podCidrWait(),
                d.parallelism());
        Connection connection = new Connection(
                values.getOrDefault("api", "127.0.0.1:6444"),
                Path.of(values.getOrDefault("token-file", ".capstan/data/tokens/node")));
        return new Parsed(config, connection);
    }

    /** What {@link #parse} read. */
    public record Parsed(SimulatorConfig config, Connection connection) {}

    private static int integer(Map<String, String> values, String flag, int fallback) {
        String value = values.get(flag);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be a whole number, not " + value, e);
        }
    }

    private static Quantity quantity(Map<String, String> values, String flag, Quantity fallback) {
        String value = values.get(flag);
        if (value == null) {
            return fallback;
        }
        return Quantity.tryParse(value.strip())
                .orElseThrow(() -> new IllegalArgumentException(
                        "--" + flag + " must be a quantity such as 32, 500m or 256Gi, not " + value));
    }
}
