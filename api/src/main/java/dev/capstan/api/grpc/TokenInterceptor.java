package dev.capstan.api.grpc;

import dev.capstan.api.http.ApiServer;
import dev.capstan.api.security.AdminToken;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** Every gRPC call needs the bearer token, as every REST call does. */
@GlobalInterceptor
@ApplicationScoped
public class TokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiServer server;

    TokenInterceptor(ApiServer server) {
        this.server = server;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String value = headers.get(AUTHORIZATION);
        String presented = value != null && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7) : "";
        ApiServer.Components components = server.components();
        if (components == null || !AdminToken.matches(components.token(), presented.trim())) {
            call.close(Status.UNAUTHENTICATED.withDescription("Unauthorized"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
