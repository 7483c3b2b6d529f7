package dev.capstan.api.fuzz;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.TestApi;
import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz run: a few thousand malformed requests of many kinds (see {@link MalformedRequests}). None
 * may answer 5xx, every 4xx carries a Status, a write with a defect changes nothing stored, and every stored object is as
 * before at the end.
 * Another seed: {@code -Dcapstan.fuzz.seed=N}; more requests: {@code -Dcapstan.fuzz.requests=N}.
 */
@QuarkusTest
class FuzzTest {
    private static final long SEED = Long.getLong("capstan.fuzz.seed", 20261206L);
    private static final int REQUESTS = Integer.getInteger("capstan.fuzz.requests", 3000);
    private static final long MAX_MILLIS = 240_000; // stops early rather than run unbounded on a slow machine

    @Inject
    ApiServer server;

    @Test
    void malformedRequestsGetA4xxStatusAndChangeNothing() throws Exception {
        String ns = namespace(server);
        List<MalformedRequests.Victim> victims = createVictims(ns);
        Map<String, String> before = snapshot(ns);
        Map<String, String> initial = before;
        var client = new RawHttps(TestApi.trustingTheClusterCa(), server.port(), TestApi.token());
        var requests = new MalformedRequests(SEED, ns, victims);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> codes = new java.util.TreeMap<>();
        Map<String, Long> slowest = new java.util.TreeMap<>();
        long start = System.currentTimeMillis();
        int sent = 0;
        for (; sent < REQUESTS && System.currentTimeMillis() - start < MAX_MILLIS; sent++) {
            MalformedRequests.Request r = requests.next();
            long sentAt = System.nanoTime();
            RawHttps.Answer answer = client.send(r.method(), r.target(), r.headers(), r.body());
            slowest.merge(r.kind(), (System.nanoTime() - sentAt) / 1_000_000, Math::max);
            String problem = judge(answer);
            if (problem == null && answer != null && answer.status() < 300 && r.write()) {
                // Upstream answers some malformed patches as no-ops: fine, as long as nothing stored changed.
                Map<String, String> now = snapshot(ns);
                if (!now.equals(before)) {
                    problem =
                            "a write with a defect changed " + changed(before, now) + ": " + abbreviate(answer.text());
                    before = now; // later requests are judged on their own
                }
            }
            if (answer != null) {
                codes.merge(r.kind().replaceAll(":.*", "") + " " + answer.status(), 1, Integer::sum);
            }
            if (problem != null && problems.size() < 50) {
                problems.add(problem + "\n    request #" + sent + " " + r);
            }
        }
        System.out.printf(
                "fuzz: seed %d, %d requests in %d ms, answers by kind: %s%n",
                SEED, sent, System.currentTimeMillis() - start, codes);
        System.out.printf("fuzz: slowest answer by kind (ms): %s%n", slowest);
        assertThat(problems).as("seed " + SEED).isEmpty();
        assertThat(snapshot(ns))
                .as("stored objects after the fuzz run, seed " + SEED)
                .isEqualTo(before);
        assertThat(sent).as("requests sent within the time bound").isGreaterThanOrEqualTo(Math.min(REQUESTS, 1000));
        api(server).get("/readyz").then().statusCode(200);
    }

    private static String judge(RawHttps.Answer answer) {
        if (answer == null) {
            return "no answer within 15 s";
        }
        if (answer.status() >= 500) {
            return "answered " + answer.status() + ": " + abbreviate(answer.text());
        }
        if (answer.status() >= 400) {
            try {
                JsonNode status = Json.MAPPER.readTree(answer.body());
                if (!"Status".equals(status.path("kind").asText())
                        || status.path("code").asInt() != answer.status()) {
                    return "answered " + answer.status() + " without a matching Status: " + abbreviate(answer.text());
                }
            } catch (java.io.IOException e) {
                return "answered " + answer.status() + " with a body that is no Status: " + abbreviate(answer.text());
            }
        }
        return null;
    }

    private static java.util.Set<String> changed(Map<String, String> before, Map<String, String> now) {
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        keys.removeIf(k -> java.util.Objects.equals(before.get(k), now.get(k)));
        return keys;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    private List<MalformedRequests.Victim> createVictims(String ns) {
        List<MalformedRequests.Victim> victims = new ArrayList<>();
        victims.add(create(
                "/api/v1/namespaces/" + ns + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"labels\":{\"app\":\"x\"}},"
                        + "\"data\":{\"a\":\"b\"}}"));
        victims.add(create(
                "/api/v1/namespaces/" + ns + "/secrets",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"dg==\"}}"));
        victims.add(create(
                "/apis/apps/v1/namespaces/" + ns + "/deployments",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":1,"
                        + "\"selector\":{\"matchLabels\":{\"app\":\"d\"}},\"template\":{\"metadata\":{\"labels\":"
                        + "{\"app\":\"d\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}"));
        victims.add(create(
                "/api/v1/namespaces/" + ns + "/services",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"svc\"},\"spec\":{\"selector\":"
                        + "{\"app\":\"d\"},\"ports\":[{\"port\":80}]}}"));
        victims.add(create(
                "/api/v1/namespaces/" + ns + "/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
                        + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}"));
        return victims;
    }

    private MalformedRequests.Victim create(String collection, String body) {
        byte[] created = api(server)
                .body(body)
                .post(collection)
                .then()
                .statusCode(201)
                .extract()
                .asByteArray();
        ObjectNode object = Json.parseObject(created);
        return new MalformedRequests.Victim(collection, Json.text(object, "metadata.name"), object);
    }

    /** Every object in the namespace, by kind and name, as stored; and the namespace itself. */
    private Map<String, String> snapshot(String ns) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String collection : List.of(
                "/api/v1/namespaces/" + ns + "/configmaps",
                "/api/v1/namespaces/" + ns + "/secrets",
                "/apis/apps/v1/namespaces/" + ns + "/deployments",
                "/api/v1/namespaces/" + ns + "/services",
                "/api/v1/namespaces/" + ns + "/pods")) {
            byte[] list =
                    api(server).get(collection).then().statusCode(200).extract().asByteArray();
            for (JsonNode item : Json.parseObject(list).path("items")) {
                all.put(collection + "/" + item.path("metadata").path("name").asText(), item.toString());
            }
        }
        all.put(
                "namespace",
                new String(
                        api(server)
                                .get("/api/v1/namespaces/" + ns)
                                .then()
                                .statusCode(200)
                                .extract()
                                .asByteArray(),
                        StandardCharsets.UTF_8));
        return all;
    }
}
