package dev.capstan.node.runtime;

/** A container port published on the node (hostPort), through CNI's portmap plugin. */
public record PortMapping(Protocol protocol, int containerPort, int hostPort, String hostIp) {

    public enum Protocol {
        TCP,
        UDP,
        SCTP
    }
}
