package dev.capstan.api.handlers;

import dev.capstan.api.auth.AuthenticatorChain;
import dev.capstan.api.auth.AuthorizerChain;
import dev.capstan.api.auth.Credentials;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.WriteOptions;
import java.util.UUID;

/**
 * The first stages of every request, REST or gRPC, in upstream's order (DefaultBuildHandlerChain): authentication,
 * then authorization of what the request asks for. What follows — decoding, admission, the kind's strategy,
 * storage — is in {@link ResourceHandlers} and the generic store.
 */
public final class RequestPipeline {
    private final AuthenticatorChain authenticators;
    private final AuthorizerChain authorizers;

    public RequestPipeline(AuthenticatorChain authenticators, AuthorizerChain authorizers) {
        this.authenticators = authenticators;
        this.authorizers = authorizers;
    }

    /** The user the credentials name; a 401 Status when none does. */
    public UserInfo authenticate(Credentials credentials) {
        return authenticators.authenticate(credentials);
    }

    /** Authorizes the request for {@code user} and answers its context; a 403 Status when it is not allowed. */
    public RequestContext authorize(UserInfo user, RequestInfo info, WriteOptions options) {
        authorizers.authorize(user, info);
        return new RequestContext(UUID.randomUUID().toString(), user, info, options);
    }
}
