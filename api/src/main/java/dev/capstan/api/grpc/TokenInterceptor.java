package dev.capstan.api.grpc;

import dev.capstan.api.ApiException;
import dev.capstan.api.auth.Credentials;
import dev.capstan.api.http.ApiServer;
import dev.capstan.api.request.UserInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Authenticates every gRPC call with the same authenticator chain as REST: the bearer token in the call's
 * {@code authorization} metadata names the user, which the call then carries for authorization.
 */
@GlobalInterceptor
@ApplicationScoped
public class TokenInterceptor implements ServerInterceptor {
    static final Context.Key<UserInfo> USER = Context.key("capstan-user");

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiServer server;

    TokenInterceptor(ApiServer server) {
        this.server = server;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ApiServer.Components components = server.components();
        if (components == null) {
            call.close(Status.UNAVAILABLE.withDescription("the API server is starting"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        UserInfo user;
        try {
            user = components.pipeline().authenticate(Credentials.fromAuthorizationHeader(headers.get(AUTHORIZATION)));
        } catch (ApiException e) {
            call.close(Status.UNAUTHENTICATED.withDescription("Unauthorized"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(USER, user), call, headers, next);
    }
}
