package dev.capstan.model.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Node names as a kubelet chooses them. */
public final class NodeNames {
    private NodeNames() {}

    /**
     * This machine's node name, as a kubelet registers it by default: the lowercase host name ("localhost" when it
     * cannot be read). The API server names the node token's user after it, and the node agent and netproxy act for
     * it, so all three must agree.
     */
    public static String thisMachine() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
