package dev.capstan.api.auth;

import dev.capstan.api.request.UserInfo;
import dev.capstan.api.security.AdminToken;
import java.util.Map;
import java.util.Optional;

/**
 * Static bearer tokens, each naming a user (upstream's token file authenticator): the admin's and one per
 * Capstan component. Compared in constant time.
 */
public final class TokenAuthenticator implements Authenticator {
    private final Map<String, UserInfo> users;

    public TokenAuthenticator(Map<String, UserInfo> usersByToken) {
        this.users = Map.copyOf(usersByToken);
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        String presented = credentials.bearerToken();
        if (presented.isEmpty()) {
            return Optional.empty();
        }
        UserInfo found = null;
        // Every token is compared, so the time taken does not tell which one came close.
        for (Map.Entry<String, UserInfo> entry : users.entrySet()) {
            if (AdminToken.matches(entry.getKey(), presented)) {
                found = entry.getValue();
            }
        }
        return Optional.ofNullable(found);
    }
}
