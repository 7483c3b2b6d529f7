package dev.capstan.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Requests whose URL is sent byte for byte, malformed escapes included (REST Assured and java.net refuse them). */
final class RawRequests {
    private RawRequests() {}

    record Answer(int code, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static Answer send(Vertx vertx, int port, HttpMethod method, String rawUri) throws Exception {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        try {
            return client.request(new RequestOptions()
                            .setMethod(method)
                            .setHost("127.0.0.1")
                            .setPort(port)
                            .setURI(rawUri)
                            .putHeader("Authorization", "Bearer " + TestApi.token()))
                    .compose(request -> request.send()
                            .compose(response ->
                                    response.body().map(body -> new Answer(response.statusCode(), body.toString()))))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
