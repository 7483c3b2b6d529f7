package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.cache.CacheAnswer;
import dev.capstan.api.http.ApiServer;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kind registered while the server runs (as custom resources will be) is routed, discovered, published in
 * OpenAPI, stored and cached like a built-in one: one strategy plus one registration.
 */
@QuarkusTest
class RuntimeRegistrationTest {
    @Inject
    ApiServer server;

    /** A namespaced kind with a status subresource and nothing else particular. */
    private static final class WidgetStrategy implements Strategy {
        @Override
        public void prepareForCreate(ObjectNode object) {}

        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

        @Override
        public List<Cause> validate(ObjectNode object) {
            return Validators.metadata(object, null, Validators.NameRule.SUBDOMAIN);
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return Validators.metadata(object, old, Validators.NameRule.SUBDOMAIN);
        }
    }

    @Test
    void aKindRegisteredWhileRunningIsServedLikeABuiltInOne() {
        ResourceType widgets = ResourceType.define(
                        io.fabric8.kubernetes.api.model.PodTemplate.class,
                        "widgets.capstan.test",
                        "v1",
                        "Widget",
                        "widgets")
                .shortNames("wd")
                .build(new WidgetStrategy());
        server.components().registry().register(widgets);

        api(server)
                .get("/apis/widgets.capstan.test/v1")
                .then()
                .statusCode(200)
                .body("resources.name", hasItem("widgets"))
                .body("resources.find { it.name == 'widgets' }.shortNames", hasItem("wd"));
        api(server).get("/apis").then().statusCode(200).body("groups.name", hasItem("widgets.capstan.test"));
        api(server)
                .get("/openapi/v3")
                .then()
                .statusCode(200)
                .body("paths.keySet()", hasItem("apis/widgets.capstan.test/v1"));

        String ns = TestApi.namespace(server);
        String path = "/apis/widgets.capstan.test/v1/namespaces/" + ns + "/widgets";
        api(server)
                .body("{\"apiVersion\":\"widgets.capstan.test/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"}}")
                .post(path)
                .then()
                .statusCode(201)
                .body("metadata.uid", org.hamcrest.Matchers.notNullValue());
        api(server).get(path + "/w1").then().statusCode(200).body("kind", equalTo("Widget"));
        api(server).get(path).then().statusCode(200).body("items.metadata.name", hasItem("w1"));

        // The watch cache takes the kind up and then serves it from memory.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.cache().list(widgets, ns, 0, Duration.ofSeconds(1)))
                        .isInstanceOf(CacheAnswer.Served.class));
        api(server).delete(path + "/w1").then().statusCode(200);
        api(server).get(path + "/w1").then().statusCode(404);
    }
}
