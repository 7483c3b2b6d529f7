package dev.capstan.api.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.api.ApiException;
import dev.capstan.api.auth.AuthenticatedAuthorizer;
import dev.capstan.api.auth.AuthenticatorChain;
import dev.capstan.api.auth.AuthorizerChain;
import dev.capstan.api.auth.Credentials;
import dev.capstan.api.auth.Decision;
import dev.capstan.api.auth.Identities;
import dev.capstan.api.auth.TokenAuthenticator;
import dev.capstan.api.handlers.RequestPipeline;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.Verb;
import dev.capstan.api.request.WriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's first stages: who sent the request, and may they. */
class AuthenticationAndAuthorizationTest {
    @TempDir
    Path data;

    @Test
    void everyComponentAuthenticatesAsItself() throws IOException {
        Map<String, UserInfo> users = Identities.ensureTokens(data, "admin-secret");
        var pipeline = new RequestPipeline(
                new AuthenticatorChain(List.of(new TokenAuthenticator(users))),
                new AuthorizerChain(List.of(new AuthenticatedAuthorizer())));

        String scheduler = Files.readString(data.resolve("tokens/scheduler")).strip();
        String node = Files.readString(data.resolve("tokens/node")).strip();
        assertThat(pipeline.authenticate(bearer(scheduler)).name()).isEqualTo("system:kube-scheduler");
        assertThat(pipeline.authenticate(bearer(node)).groups()).contains("system:nodes");
        assertThat(pipeline.authenticate(bearer("admin-secret")).groups()).contains(UserInfo.MASTERS);
        // Tokens are kept: a second start reads the same ones.
        assertThat(Identities.ensureTokens(data, "admin-secret")).containsOnlyKeys(users.keySet());

        assertThatThrownBy(() -> pipeline.authenticate(bearer("wrong")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
        assertThatThrownBy(() -> pipeline.authenticate(Credentials.fromAuthorizationHeader("")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(401));
    }

    @Test
    void aDenyOrNoOpinionAtAllIsAForbiddenWordedAsUpstream() {
        UserInfo someone = new UserInfo("jane", "", List.of(UserInfo.AUTHENTICATED));
        var denying = new AuthorizerChain(List.of(
                (user, request) -> Decision.noOpinion(),
                (user, request) ->
                        request.verb().equals("delete") ? Decision.deny("not today") : Decision.noOpinion()));
        RequestInfo delete =
                RequestInfo.resource("/api/v1/namespaces/ns/pods/p", Verb.DELETE, "", "v1", "pods", "", "ns", "p");
        RequestInfo list = RequestInfo.resource(
                "/apis/apps/v1/deployments", Verb.LIST, "apps", "v1", "deployments", "", null, null);

        assertThatThrownBy(() -> denying.authorize(someone, delete)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(403);
            assertThat(e.getMessage())
                    .isEqualTo("pods \"p\" is forbidden: User \"jane\" cannot delete resource \"pods\" in API"
                            + " group \"\" in the namespace \"ns\": not today");
        });
        assertThatThrownBy(() -> denying.authorize(someone, list))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "deployments.apps is forbidden: User \"jane\" cannot list resource \"deployments\""
                                                + " in API group \"apps\" at the cluster scope"));

        var pipeline = new RequestPipeline(
                new AuthenticatorChain(List.of()), new AuthorizerChain(List.of(new AuthenticatedAuthorizer())));
        assertThat(pipeline.authorize(someone, delete, WriteOptions.DEFAULT).user())
                .isEqualTo(someone);
        UserInfo anonymous = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));
        assertThatThrownBy(() ->
                        pipeline.authorize(anonymous, RequestInfo.nonResource("/apis", "GET"), WriteOptions.DEFAULT))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/apis\""));
    }

    private static Credentials bearer(String token) {
        return Credentials.fromAuthorizationHeader("Bearer " + token);
    }
}
