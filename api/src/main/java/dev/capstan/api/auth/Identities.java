package dev.capstan.api.auth;

import dev.capstan.api.request.UserInfo;
import dev.capstan.api.security.AdminToken;
import dev.capstan.model.node.NodeNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may call the API with a token: the admin (group system:masters) and each Capstan component with a user of
 * its own, named as upstream names the same component, so that authorization (RBAC next) can tell them apart. Each
 * token is generated once and kept with the state (mode 0600): {@code admin-token} and {@code tokens/<component>}.
 */
public final class Identities {
    /** The identity the API server uses for work it does itself (namespace cleanup, default namespaces). */
    public static final UserInfo API_SERVER =
            new UserInfo("system:apiserver", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED));

    private Identities() {}

    /** The components that reach the API over gRPC, each with the user it authenticates as. */
    public static Map<String, UserInfo> components(String nodeName) {
        Map<String, UserInfo> users = new LinkedHashMap<>();
        users.put("scheduler", user("system:kube-scheduler"));
        users.put("controller-manager", user("system:kube-controller-manager"));
        users.put("node", new UserInfo("system:node:" + nodeName, "", List.of("system:nodes", UserInfo.AUTHENTICATED)));
        users.put("netproxy", user("system:kube-proxy"));
        return users;
    }

    /** Reads or creates every token under {@code dataDir} and answers the users by token. */
    public static Map<String, UserInfo> ensureTokens(Path dataDir, String adminToken) throws IOException {
        Map<String, UserInfo> byToken = new LinkedHashMap<>();
        byToken.put(adminToken, new UserInfo("admin", "", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED)));
        for (Map.Entry<String, UserInfo> component :
                components(NodeNames.thisMachine()).entrySet()) {
            String token = AdminToken.ensure(dataDir.resolve("tokens").resolve(component.getKey()));
            byToken.put(token, component.getValue());
        }
        return byToken;
    }

    private static UserInfo user(String name) {
        return new UserInfo(name, "", List.of(UserInfo.AUTHENTICATED));
    }
}
