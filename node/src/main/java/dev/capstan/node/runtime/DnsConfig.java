package dev.capstan.node.runtime;

import java.util.List;

/** The sandbox's resolv.conf: name servers, search domains and options (e.g. {@code ndots:5}). */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {

    public DnsConfig {
        servers = List.copyOf(servers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }
}
