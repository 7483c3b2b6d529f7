package dev.capstan.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's HostPortInfo: the host ports in use on a node, by host IP, as "protocol/port". 0.0.0.0 (or an empty IP)
 * conflicts with the same protocol and port on every IP.
 */
public final class HostPortInfo {
    private static final String ALL_IPS = "0.0.0.0";

    private final Map<String, Set<String>> byIp;

    public HostPortInfo() {
        this.byIp = new HashMap<>();
    }

    private HostPortInfo(Map<String, Set<String>> byIp) {
        this.byIp = byIp;
    }

    public void add(HostPort p) {
        if (p.port() <= 0) {
            return;
        }
        byIp.computeIfAbsent(ip(p), k -> new HashSet<>()).add(key(p));
    }

    public void remove(HostPort p) {
        if (p.port() <= 0) {
            return;
        }
        String ip = ip(p);
        Set<String> ports = byIp.get(ip);
        if (ports != null && ports.remove(key(p)) && ports.isEmpty()) {
            byIp.remove(ip);
        }
    }

    /** Upstream's CheckConflict. */
    public boolean conflicts(HostPort p) {
        if (p.port() <= 0) {
            return false;
        }
        String ip = ip(p);
        String key = key(p);
        if (ip.equals(ALL_IPS)) {
            for (Set<String> ports : byIp.values()) {
                if (ports.contains(key)) {
                    return true;
                }
            }
            return false;
        }
        Set<String> all = byIp.get(ALL_IPS);
        Set<String> same = byIp.get(ip);
        return (all != null && all.contains(key)) || (same != null && same.contains(key));
    }

    public boolean isEmpty() {
        return byIp.isEmpty();
    }

    public HostPortInfo copy() {
        Map<String, Set<String>> copied = new HashMap<>();
        byIp.forEach((ip, ports) -> copied.put(ip, new HashSet<>(ports)));
        return new HostPortInfo(copied);
    }

    private static String ip(HostPort p) {
        return p.hostIp() == null || p.hostIp().isEmpty() ? ALL_IPS : p.hostIp();
    }

    private static String key(HostPort p) {
        String protocol = p.protocol() == null || p.protocol().isEmpty() ? "TCP" : p.protocol();
        return protocol + "/" + p.port();
    }
}
