package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bodies upstream's decoder refuses are refused with its code, reason and words, and nothing stored changes; unknown
 * fields are dropped under Warn and Ignore as Go's structs drop them. Messages: k8s.io/apiserver v0.32
 * handlers/rest.go transformDecodeError, sigs.k8s.io/json's decoder, apimachinery's meta.go and versioning codec.
 */
@QuarkusTest
class StrictDecodingTest {
    private static final String MERGE = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String CM_PREFIX = "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: ";
    private static final String DEPLOY_PREFIX = "Deployment in version \"v1\" cannot be handled as a Deployment: ";

    @Inject
    ApiServer server;

    private String ns;
    private String configMaps;
    private String cm;
    private String deployment;

    @BeforeEach
    void setUp() {
        ns = namespace(server);
        configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        cm = configMaps + "/cm";
        create(
                configMaps,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"},\"data\":{\"a\":\"1\"}}");
        deployment = "/apis/apps/v1/namespaces/" + ns + "/deployments/web";
        create("/apis/apps/v1/namespaces/" + ns + "/deployments", deploymentBody("2"));
    }

    private static String deploymentBody(String replicas) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":"
                + replicas + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}}}}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            labels of numbers      | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","labels":{"a":5}}}      | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string
            annotations of bools   | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","annotations":{"a":true}}} | json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string
            finalizers as a string | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","finalizers":"x"}}     | json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string
            data of numbers        | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"data":{"a":1}}       | json: cannot unmarshal number into Go struct field ConfigMap.data of type string
            data as an array       | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"data":[]}            | json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string
            name as an object      | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":{}}}                       | json: cannot unmarshal object into Go struct field ObjectMeta.metadata.name of type string
            first mismatch wins    | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","labels":{"a":1}},"data":{"b":2}} | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string
            creationTimestamp      | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","creationTimestamp":5}} | json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string
            binaryData not base64  | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"binaryData":{"a":"abc!"}} | illegal base64 data at input byte 3
            strict unknown field   | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"dta":{"a":"1"}}      | strict decoding error: unknown field "dta"
            strict duplicate field | {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"data":{"a":"1","a":"2"}} | strict decoding error: duplicate field "data.a"
            a Secret's body        | {"apiVersion":"v1","kind":"Secret","metadata":{"name":"n"}}                         | Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion
            a kind no one serves   | {"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"n"}}                 | ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:29"
            """)
    void aWronglyTypedConfigMapIsRefusedAndNotStored(String title, String body, String error) {
        String message = error.startsWith("Secret") || error.startsWith("ConfigMap in") ? error : CM_PREFIX + error;
        Response response = api(server).body(body).post(configMaps + "?fieldValidation=Strict");
        assertBadRequest(response, message);
        api(server).get(configMaps + "/n").then().statusCode(404);
    }

    @ParameterizedTest(name = "replicas {0}")
    @CsvSource(delimiter = '|', textBlock = """
            "three"   | json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32
            1e999999  | json: cannot unmarshal number 1e999999 into Go struct field DeploymentSpec.spec.replicas of type int32
            1.5       | json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32
            3000000000 | json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32
            """)
    void aWronglyTypedReplicasIsRefusedOnCreateAndUpdate(String replicas, String error) {
        String before = api(server).get(deployment).asString();
        Response put = api(server).body(deploymentBody(replicas)).put(deployment);
        assertBadRequest(put, DEPLOY_PREFIX + error);
        assertThat(api(server).get(deployment).asString()).isEqualTo(before);

        api(server).delete(deployment).then().statusCode(200);
        Response post =
                api(server).body(deploymentBody(replicas)).post("/apis/apps/v1/namespaces/" + ns + "/deployments");
        assertBadRequest(post, DEPLOY_PREFIX + error);
        api(server).get(deployment).then().statusCode(404);
    }

    @Test
    void aKindThatIsNotAStringIsUnrecognized() {
        String body = "{\"kind\":[],\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"n\"}}";
        Response response = api(server).body(body).post(configMaps);
        assertBadRequest(
                response,
                "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse"
                        + " error: json: cannot unmarshal array into Go struct field .kind of type string ("
                        + body.substring(0, 30) + " ...)");
        api(server).get(configMaps + "/n").then().statusCode(404);
    }

    @Test
    void aSecretWithInvalidBase64IsRefused() {
        Response response = api(server)
                .body(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"YWJj\\nZA=x\"}}")
                .post("/api/v1/namespaces/" + ns + "/secrets");
        assertBadRequest(
                response,
                "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 7");
    }

    @Test
    void anotherServedVersionOfTheKindIsTheWrongApiVersion() {
        Response response = api(server)
                .body(
                        "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"h\"},"
                                + "\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\"},\"maxReplicas\":2}}")
                .post("/apis/autoscaling/v2/namespaces/" + ns + "/horizontalpodautoscalers");
        assertBadRequest(
                response,
                "the API version in the data (autoscaling/v1) does not match the expected API version (autoscaling/v2)");
    }

    @ParameterizedTest(name = "resourceVersion {0}")
    @CsvSource({"-1, invalid syntax", "abc, invalid syntax", "18446744073709551616, value out of range"})
    void aResourceVersionThatIsNotARevisionIsUpstreamsParseError(String rv, String why) {
        Map<String, Object> stored = api(server).get(cm).jsonPath().getMap("metadata");
        Response response = api(server)
                .body(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"resourceVersion\":\""
                                + rv + "\"},\"data\":{\"a\":\"2\"}}")
                .put(cm);

        // Upstream answers 500 (its versioner's error is no Status); bad input must not be a server error here.
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("reason")).isEqualTo("BadRequest");
        assertThat(response.jsonPath().getString("message"))
                .isEqualTo("strconv.ParseUint: parsing \"" + rv + "\": " + why);
        assertUnchanged(stored);
    }

    @Test
    void aResourceVersionOfZeroIsAnUnconditionalUpdate() {
        Response response = api(server)
                .body(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"resourceVersion\":\"0\"},"
                                + "\"data\":{\"a\":\"2\"}}")
                .put(cm);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data.a")).isEqualTo("2");
    }

    @Test
    void aNamespaceOtherThanThePathsIsRefusedOnPostAndPut() {
        Map<String, Object> stored = api(server).get(cm).jsonPath().getMap("metadata");
        String message = "the namespace of the provided object does not match the namespace sent on the request";
        String other =
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"default\"}}";
        assertBadRequest(api(server).body(other.formatted("cm")).put(cm), message);
        assertUnchanged(stored);
        assertBadRequest(api(server).body(other.formatted("n")).post(configMaps), message);
        api(server).get(configMaps + "/n").then().statusCode(404);
        api(server).get("/api/v1/namespaces/default/configmaps/n").then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            application/merge-patch+json           | {"data":{"a":1}}
            application/json-patch+json            | [{"op":"replace","path":"/data/a","value":1}]
            application/strategic-merge-patch+json | {"data":{"a":1}}
            """)
    void aPatchWithAWronglyTypedResultIsInvalidAndNotStored(String type, String patch) {
        Map<String, Object> stored = api(server).get(cm).jsonPath().getMap("metadata");
        Response response = api(server).contentType(type).body(patch).patch(cm);
        assertInvalidPatch(
                response, "json: cannot unmarshal number into Go struct field ConfigMap.data of type string");
        assertUnchanged(stored);
    }

    @Test
    void aPatchOfReplicasToAStringIsInvalid() {
        String before = api(server).get(deployment).asString();
        Response response = api(server)
                .contentType(MERGE)
                .body("{\"spec\":{\"replicas\":\"three\"}}")
                .patch(deployment);
        assertInvalidPatch(
                response,
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        assertThat(api(server).get(deployment).asString()).isEqualTo(before);
        Response scale = api(server)
                .contentType(MERGE)
                .body("{\"spec\":{\"replicas\":\"three\"}}")
                .patch(deployment + "/scale");
        assertInvalidPatch(
                scale, "json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32");
        assertThat(api(server).get(deployment).asString()).isEqualTo(before);
    }

    @Test
    void strictRefusesAPatchThatBringsAnUnknownField() {
        Map<String, Object> stored = api(server).get(cm).jsonPath().getMap("metadata");
        Response response = api(server)
                .contentType(JSON_PATCH)
                .body("[{\"op\":\"add\",\"path\":\"/dta\",\"value\":{}}]")
                .patch(cm + "?fieldValidation=Strict");
        assertInvalidPatch(response, "strict decoding error: unknown field \"dta\"");
        assertUnchanged(stored);
    }

    @ParameterizedTest(name = "fieldValidation={0}")
    @CsvSource({"Warn, true", "Ignore, false"})
    void unknownFieldsAreDroppedUnlessStrict(String validation, boolean warns) {
        Response created = api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"u\",\"labelz\":{}},"
                        + "\"dta\":{\"x\":\"y\"},\"data\":{\"a\":\"1\",\"a\":\"2\"}}")
                .post(configMaps + "?fieldValidation=" + validation);
        assertThat(created.statusCode()).isEqualTo(201);
        if (warns) {
            assertThat(created.getHeaders().getValues("Warning"))
                    .containsExactly(
                            "299 - \"unknown field \\\"metadata.labelz\\\"\"",
                            "299 - \"unknown field \\\"dta\\\"\"",
                            "299 - \"duplicate field \\\"data.a\\\"\"");
        } else {
            assertThat(created.getHeaders().getValues("Warning")).isEmpty();
        }
        Map<String, Object> stored =
                api(server).get(configMaps + "/u").jsonPath().getMap("");
        assertThat(stored).doesNotContainKey("dta").containsEntry("data", Map.of("a", "2"));
        assertThat(api(server).get(configMaps + "/u").jsonPath().getMap("metadata"))
                .doesNotContainKey("labelz");
    }

    @Test
    void aPatchOfOnlyUnknownFieldsChangesNothingUnderWarn() {
        Map<String, Object> stored = api(server).get(cm).jsonPath().getMap("metadata");
        Response response = api(server)
                .contentType(STRATEGIC)
                .body("{\"dta\":{\"b\":\"2\"}}")
                .patch(cm);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeaders().getValues("Warning")).containsExactly("299 - \"unknown field \\\"dta\\\"\"");
        assertThat(response.jsonPath().getMap("")).doesNotContainKey("dta");
        assertUnchanged(stored);
    }

    @Test
    void intOrStringAndQuantityFieldsTakeEitherForm() {
        String service =
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"ports\":"
                        + "[{\"port\":80,\"targetPort\":%s}]}}";
        String services = "/api/v1/namespaces/" + ns + "/services";
        assertThat(api(server)
                        .body(service.formatted("s1", "8080"))
                        .post(services)
                        .statusCode())
                .isEqualTo(201);
        assertThat(api(server)
                        .body(service.formatted("s2", "\"http\""))
                        .post(services)
                        .statusCode())
                .isEqualTo(201);
        assertBadRequest(
                api(server).body(service.formatted("s3", "true")).post(services),
                "Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal bool into Go struct"
                        + " field ServicePort.spec.ports.targetPort of type int32");
        String quota =
                "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"hard\":"
                        + "{\"pods\":%s}}}";
        String quotas = "/api/v1/namespaces/" + ns + "/resourcequotas";
        assertThat(api(server).body(quota.formatted("q1", "10")).post(quotas).statusCode())
                .isEqualTo(201);
        assertThat(api(server)
                        .body(quota.formatted("q2", "\"10\""))
                        .post(quotas)
                        .statusCode())
                .isEqualTo(201);
        assertBadRequest(
                api(server).body(quota.formatted("q3", "\"ten\"")).post(quotas),
                "ResourceQuota in version \"v1\" cannot be handled as a ResourceQuota: quantities must match the"
                        + " regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }

    private void create(String collection, String body) {
        api(server).body(body).post(collection).then().statusCode(201);
    }

    private void assertUnchanged(Map<String, Object> storedMetadata) {
        Response now = api(server).get(cm);
        assertThat(now.jsonPath().getMap("metadata")).isEqualTo(storedMetadata);
        assertThat(now.jsonPath().getString("data.a")).isEqualTo("1");
    }

    private static void assertBadRequest(Response response, String message) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.jsonPath().getString("reason")).isEqualTo("BadRequest");
        assertThat(response.jsonPath().getString("message")).isEqualTo(message);
    }

    /** upstream's patcher: errors.NewInvalid(GroupKind{}, "", field.Invalid("patch", patchedJSON, err)). */
    private static void assertInvalidPatch(Response response, String error) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(422);
        assertThat(response.jsonPath().getString("reason")).isEqualTo("Invalid");
        assertThat(response.jsonPath().getString("message"))
                .startsWith(" \"\" is invalid: patch: Invalid value: \"{")
                .endsWith("}\": " + error);
        assertThat(response.jsonPath().getString("details.causes[0].field")).isEqualTo("patch");
        assertThat(response.jsonPath().getString("details.causes[0].reason")).isEqualTo("FieldValueInvalid");
    }
}
