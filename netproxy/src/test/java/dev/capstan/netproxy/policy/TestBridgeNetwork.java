package dev.capstan.netproxy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A node in network namespaces of the test's own: a "node" namespace holding a bridge with br_netfilter on, and
 * "pod" namespaces attached to it by veth pairs, addressed in a random 10.250.X.0/24. Nothing is routed out of
 * them. {@link #close} stops the processes it started (by PID) and deletes every namespace, which takes the bridge
 * and the veths with it.
 */
final class TestBridgeNetwork implements AutoCloseable {
    private final String prefix =
            "capstan-t-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private final int subnet = ThreadLocalRandom.current().nextInt(1, 255);
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, String> podIps = new HashMap<>();
    private final List<Process> processes = new ArrayList<>();

    /** The node namespace with bridge br0 at {@link #gateway()}, br_netfilter on inside it. */
    TestBridgeNetwork() {
        String node = add("node");
        try {
            ip("-n", node, "link", "set", "lo", "up");
            ip("-n", node, "link", "add", "br0", "type", "bridge");
            ip("-n", node, "addr", "add", gateway() + "/24", "dev", "br0");
            ip("-n", node, "link", "set", "br0", "up");
            // per network namespace since kernel 5.3: set it in ours rather than trust a default
            exec(node, "sysctl", "-w", "net.bridge.bridge-nf-call-iptables=1");
        } catch (RuntimeException | Error e) {
            ip("netns", "delete", node);
            throw e;
        }
    }

    String node() {
        return prefix + "-node";
    }

    String gateway() {
        return "10.250." + subnet + ".1";
    }

    /** A pod namespace named {@code pod} at 10.250.X.{@code host} on the bridge; answers its address. */
    String addPod(String pod, int host) {
        String ns = add(pod);
        String ip = "10.250." + subnet + "." + host;
        ip("link", "add", "veth-" + pod, "netns", node(), "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", node(), "link", "set", "veth-" + pod, "master", "br0", "up");
        ip("-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        ip("-n", ns, "link", "set", "lo", "up");
        podIps.put(pod, ip);
        return ip;
    }

    /**
     * A Service VIP as the proxy makes one: DNAT to {@code podIp}:80 in the node namespace's nat prerouting (in a
     * table of the test's own), forwarding on there, and a route to the VIP through the bridge in every pod added so
     * far. Nothing else is routed: a packet the DNAT misses has nowhere to go.
     */
    void addServiceVip(String vip, String podIp) {
        exec(node(), "sysctl", "-w", "net.ipv4.ip_forward=1");
        NftTool.run(List.of("ip", "netns", "exec", node(), "nft", "-f", "-"), """
                table ip test-proxy {
                  chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    ip daddr %s tcp dport 80 dnat to %s:80
                  }
                }
                """.formatted(vip, podIp));
        for (String pod : podIps.keySet()) {
            ip("-n", namespaceOf(pod), "route", "add", vip + "/32", "via", gateway());
        }
    }

    String namespaceOf(String pod) {
        return prefix + "-" + pod;
    }

    /** Starts {@code command} in the pod's namespace, to be stopped by {@link #close}. */
    Process start(String pod, String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf(pod)));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(p);
        return p;
    }

    /**
     * An HTTP GET of {@code ip}:80 from the namespace {@code ns} with busybox nc, bounded to 2 s; whether a 200
     * came back.
     */
    boolean httpOk(String ns, String ip) {
        try {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "nc", "-w", "2", ip, "80")
                    .redirectErrorStream(true)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The command words that run nft inside the node namespace. */
    List<String> nftPrefix() {
        return List.of("ip", "netns", "exec", node());
    }

    String exec(String ns, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return NftTool.run(c, null);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy(); // ip netns exec execs the command: this PID is the server's
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : namespaces.reversed()) {
            ip("netns", "delete", ns);
        }
    }

    boolean anyLeft() {
        String list = NftTool.run(List.of("ip", "netns", "list"), null);
        return list.contains(prefix);
    }

    private String add(String name) {
        String ns = prefix + "-" + name;
        ip("netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    private static void ip(String... args) {
        List<String> c = new ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        NftTool.run(c, null);
    }
}
