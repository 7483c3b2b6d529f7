package dev.capstan.controllers.apiendpoints;

import dev.capstan.controllers.endpoints.IPs;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where the {@code kubernetes} Service points.
 *
 * @param serviceCidr the API server's Service range ({@code capstan.api.service-cidr}); the Service takes its first
 *     address, which Capstan's allocator keeps out of the random pool as upstream's does
 * @param apiServerAddresses every API server as {@code ip:port} ({@code [ip]:port} for IPv6), all on the same port.
 *     Upstream publishes each server's --advertise-address; a single machine's default is the loopback address, which
 *     only reaches the API server from the host network: a cluster whose pods must reach it sets the routable address.
 * @param servicePort the Service's port (upstream: 443)
 */
public record ApiEndpointsConfig(String serviceCidr, List<String> apiServerAddresses, int servicePort) {
    public static final ApiEndpointsConfig DEFAULT =
            new ApiEndpointsConfig("10.96.0.0/16", List.of("127.0.0.1:6443"), 443);

    public ApiEndpointsConfig {
        if (apiServerAddresses == null || apiServerAddresses.isEmpty()) {
            throw new IllegalArgumentException(
                    "the kubernetes Service needs at least one API server address (ip:port)");
        }
        apiServerAddresses = List.copyOf(apiServerAddresses);
        if (servicePort < 1 || servicePort > 65535) {
            throw new IllegalArgumentException("the kubernetes Service port must be 1-65535, got " + servicePort);
        }
        clusterIP(serviceCidr);
        endpoints(apiServerAddresses);
    }

    /** The first address of the Service range: 10.96.0.1 for 10.96.0.0/16. */
    public String clusterIP() {
        return clusterIP(serviceCidr);
    }

    /** The API servers' IPs, sorted and without duplicates, as upstream lists them. */
    public List<String> ips() {
        TreeSet<String> ips = new TreeSet<>();
        for (String[] hostPort : endpoints(apiServerAddresses)) {
            ips.add(hostPort[0]);
        }
        return new ArrayList<>(ips);
    }

    /** The port every API server listens on: the Service's targetPort and the Endpoints' port. */
    public int apiServerPort() {
        return Integer.parseInt(endpoints(apiServerAddresses).get(0)[1]);
    }

    private static List<String[]> endpoints(List<String> addresses) {
        List<String[]> out = new ArrayList<>();
        String port = null;
        for (String address : addresses) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw bad(address);
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String p = address.substring(colon + 1);
            int number;
            try {
                number = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw bad(address);
            }
            var ip = IPs.parse(host).orElseThrow(() -> bad(address));
            if (number < 1 || number > 65535) {
                throw bad(address);
            }
            if (port != null && !port.equals(String.valueOf(number))) {
                throw new IllegalArgumentException("every API server address must use the same port: " + addresses);
            }
            port = String.valueOf(number);
            out.add(new String[] {ip.text(), port});
        }
        return out;
    }

    private static IllegalArgumentException bad(String address) {
        return new IllegalArgumentException(
                "API server address \"" + address + "\" is not ip:port (an IP literal, such as 192.168.1.10:6443)");
    }

    private static String clusterIP(String cidr) {
        String[] parts = cidr == null ? new String[0] : cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException(
                    "service CIDR \"" + cidr + "\" is not an IPv4 network such as 10.96.0.0/16");
        }
        var ip = IPs.parse(parts[0]).filter(p -> p.addressType().equals("IPv4"));
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (ip.isEmpty() || prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("service CIDR \"" + cidr + "\" must be an IPv4 /8 to /30");
        }
        long value = 0;
        for (String octet : ip.get().text().split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        long first = (value & (0xFFFFFFFFL << (32 - prefix))) + 1;
        return (first >> 24 & 0xff) + "." + (first >> 16 & 0xff) + "." + (first >> 8 & 0xff) + "." + (first & 0xff);
    }
}
