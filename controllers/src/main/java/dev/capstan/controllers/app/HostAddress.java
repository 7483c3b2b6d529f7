package dev.capstan.controllers.app;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

/** The address other machines reach this one's API server at, when none is configured. */
final class HostAddress {
    private HostAddress() {}

    /**
     * This machine's first non-loopback IPv4 address (of an interface that is up) with the API's default port.
     *
     * @throws IllegalStateException when there is none, saying which setting to give instead
     */
    static List<String> apiServerAddresses() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address
                            && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()) {
                        return List.of(address.getHostAddress() + ":6443");
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this machine's addresses: " + e.getMessage(), e);
        }
        throw new IllegalStateException("this machine has no non-loopback IPv4 address for the kubernetes Service's"
                + " endpoints; set capstan.controllers.apiserver-address to ip:port, or disable the controller with"
                + " capstan.controllers.enabled=*,-kubernetes-service-controller");
    }
}
