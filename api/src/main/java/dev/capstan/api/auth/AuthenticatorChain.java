package dev.capstan.api.auth;

import dev.capstan.api.ApiException;
import dev.capstan.api.request.UserInfo;
import java.util.List;
import java.util.Optional;

/** Asks each authenticator in turn; the first that knows the credentials wins, none is a 401. */
public final class AuthenticatorChain {
    private final List<Authenticator> authenticators;

    public AuthenticatorChain(List<Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    /** The request's user; a 401 Unauthorized Status when no authenticator accepts the credentials. */
    public UserInfo authenticate(Credentials credentials) {
        for (Authenticator authenticator : authenticators) {
            Optional<UserInfo> user = authenticator.authenticate(credentials);
            if (user.isPresent()) {
                return user.get();
            }
        }
        throw ApiException.unauthorized();
    }
}
