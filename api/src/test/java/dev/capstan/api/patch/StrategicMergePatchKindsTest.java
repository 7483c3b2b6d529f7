package dev.capstan.api.patch;

import static dev.capstan.api.patch.TestSchema.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.openapi.OpenApiPatchSchema;
import dev.capstan.api.openapi.ResourceInfo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Strategic merge patch on real kinds, with the merge keys and strategies read from the served OpenAPI v3 documents
 * (OpenApiPatchSchema). Expected results are upstream's: each was also checked by applying the same patch with
 * k8s.io/apimachinery v0.32.0's StrategicMergeMapPatch to the same object and schema.
 */
class StrategicMergePatchKindsTest {
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(List.of(
            new ResourceInfo(
                    "apps", "v1", "Deployment", "deployments", true, Set.of("status", "scale"), Deployment.class),
            new ResourceInfo("", "v1", "Pod", "pods", true, Set.of("status"), Pod.class),
            new ResourceInfo("", "v1", "ConfigMap", "configmaps", true, Set.of(), ConfigMap.class)));
    private static final Optional<PatchSchema> DEPLOYMENT =
            OpenApiPatchSchema.forKind(DOCS, "apps", "v1", "Deployment");
    private static final Optional<PatchSchema> POD = OpenApiPatchSchema.forKind(DOCS, "", "v1", "Pod");

    /** A Deployment as the server stores it: defaulted, one container with env, ports and a volume mount. */
    static final String DEPLOYMENT_JSON = """
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'web','namespace':'default','finalizers':['a.example.com/x','b.example.com/y'],
                         'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
             'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},
                     'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
                     'template':{'metadata':{'labels':{'app':'web'}},
                       'spec':{'containers':[{'name':'app','image':'nginx:1.25','imagePullPolicy':'IfNotPresent',
                                              'terminationMessagePath':'/dev/termination-log',
                                              'ports':[{'containerPort':80,'name':'http','protocol':'TCP'},
                                                       {'containerPort':443,'protocol':'TCP'}],
                                              'env':[{'name':'A','value':'1'},{'name':'X','value':'old'},
                                                     {'name':'S','value':'server-side'}],
                                              'volumeMounts':[{'name':'data','mountPath':'/data'}]}],
                               'volumes':[{'name':'data','emptyDir':{}}],
                               'restartPolicy':'Always','dnsPolicy':'ClusterFirst'}}}}
            """;

    @Test
    void addingASidecarKeepsTheContainerWhereAMergePatchReplacesTheList() {
        String body =
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}";

        ObjectNode strategic =
                Patches.apply(Patches.STRATEGIC_MERGE_PATCH, json(DEPLOYMENT_JSON), bytes(body), DEPLOYMENT);
        ObjectNode merge = Patches.apply(Patches.MERGE_PATCH, json(DEPLOYMENT_JSON), bytes(body), DEPLOYMENT);

        // design doc "Background": containers merge by name; without $setElementOrder the new one goes first
        assertThat(names(strategic.at("/spec/template/spec/containers"))).containsExactly("sidecar", "app");
        assertThat(strategic.at("/spec/template/spec/containers/1"))
                .isEqualTo(json(DEPLOYMENT_JSON).at("/spec/template/spec/containers/0"));
        assertThat(names(merge.at("/spec/template/spec/containers"))).containsExactly("sidecar");
    }

    @Test
    void appliesAClientSideApplyPatchAsKubectlSendsIt() {
        // kubectl apply after the manifest changed the image, dropped env X, added env B and a port: the three-way
        // patch it computes (CreateThreeWayMergePatch), with $setElementOrder for each merging list it touches
        String patch = """
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'v2'}},
                 'spec':{'template':{'spec':{
                   '$setElementOrder/containers':[{'name':'app'}],
                   'containers':[{'name':'app','image':'nginx:1.26',
                     '$setElementOrder/env':[{'name':'A'},{'name':'B'}],
                     'env':[{'name':'B','value':'2'},{'$patch':'delete','name':'X'}],
                     '$setElementOrder/ports':[{'containerPort':80},{'containerPort':443},{'containerPort':8080}],
                     'ports':[{'containerPort':8080,'protocol':'TCP'}]}]}}}}
                """;

        ObjectNode result = StrategicMergePatch.apply(json(DEPLOYMENT_JSON), json(patch), DEPLOYMENT.orElseThrow());

        JsonNode app = result.at("/spec/template/spec/containers/0");
        assertThat(result.at("/spec/template/spec/containers").size()).isEqualTo(1);
        assertThat(app.get("image").asText()).isEqualTo("nginx:1.26");
        assertThat(app.get("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        // the server-only S stays before the new B: upstream orders it by the env array as the merge left it, where B
        // took the slot X's deletion freed (see StrategicMergePatchListTest)
        assertThat(app.get("env"))
                .isEqualTo(json("{'e':[{'name':'A','value':'1'},{'name':'S','value':'server-side'},"
                                + "{'name':'B','value':'2'}]}")
                        .get("e"));
        assertThat(app.get("ports"))
                .isEqualTo(json("{'p':[{'containerPort':80,'name':'http','protocol':'TCP'},"
                                + "{'containerPort':443,'protocol':'TCP'},{'containerPort':8080,'protocol':'TCP'}]}")
                        .get("p"));
        assertThat(result.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                        .asText())
                .isEqualTo("v2");
    }

    static Stream<Arguments> deploymentPatches() {
        return Stream.of(
                // design doc "delete Directive / List of Maps"
                Arguments.of(
                        "delete an env var by name",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':[{'name':'X','$patch':'delete'}]}]}}}}",
                        "/spec/template/spec/containers/0/env",
                        "[{'name':'A','value':'1'},{'name':'S','value':'server-side'}]"),
                // containers[].ports merge on containerPort (x-kubernetes-patch-merge-key of Container.ports)
                Arguments.of(
                        "change a port found by containerPort",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'app','ports':[{'containerPort':443,'name':'https'}]}]}}}}",
                        "/spec/template/spec/containers/0/ports",
                        "[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443,'name':'https','protocol':'TCP'}]"),
                // design doc "deleteFromPrimitiveList Directive": finalizers is a set (patchStrategy merge)
                Arguments.of(
                        "add a finalizer",
                        "{'metadata':{'finalizers':['c.example.com/z']}}",
                        "/metadata/finalizers",
                        "['c.example.com/z','a.example.com/x','b.example.com/y']"),
                Arguments.of(
                        "add a finalizer already there",
                        "{'metadata':{'finalizers':['b.example.com/y']}}",
                        "/metadata/finalizers",
                        "['a.example.com/x','b.example.com/y']"),
                Arguments.of(
                        "remove a finalizer",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a.example.com/x']}}",
                        "/metadata/finalizers",
                        "['b.example.com/y']"),
                // design doc "retainKeys Directive"; DeploymentSpec.strategy has x-kubernetes-patch-strategy retainKeys
                Arguments.of(
                        "switch the strategy to Recreate",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
                        "/spec/strategy",
                        "{'type':'Recreate'}"),
                // PodSpec.volumes is merge,retainKeys by name: the volume source not listed is cleared
                Arguments.of(
                        "change a volume's source",
                        "{'spec':{'template':{'spec':{'volumes':[{'name':'data','hostPath':{'path':'/srv'},"
                                + "'$retainKeys':['hostPath','name']}]}}}}",
                        "/spec/template/spec/volumes",
                        "[{'name':'data','hostPath':{'path':'/srv'}}]"),
                // design doc "replace Directive / List of Maps"
                Arguments.of(
                        "replace the containers",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'only','image':'busybox'},{'$patch':'replace'}]}}}}",
                        "/spec/template/spec/containers",
                        "[{'name':'only','image':'busybox'}]"),
                // a list without x-kubernetes-patch-strategy (Container.args) is replaced
                Arguments.of(
                        "replace args",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'app','args':['-v']}]}}}}",
                        "/spec/template/spec/containers/0/args",
                        "['-v']"),
                // labels are a map of strings: merged, null deletes
                Arguments.of(
                        "add and delete labels",
                        "{'spec':{'template':{'metadata':{'labels':{'app':null,'tier':'web'}}}}}",
                        "/spec/template/metadata/labels",
                        "{'tier':'web'}"),
                // no schema information for an unknown field: maps merge, lists are replaced
                Arguments.of(
                        "unknown fields",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'app','ports':[{'containerPort':80,'extra':[2]}]}]}}}}",
                        "/spec/template/spec/containers/0/ports/0",
                        "{'containerPort':80,'name':'http','protocol':'TCP','extra':[2]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deploymentPatches")
    void patchesDeployments(String description, String patch, String pointer, String expected) {
        ObjectNode result = StrategicMergePatch.apply(json(DEPLOYMENT_JSON), json(patch), DEPLOYMENT.orElseThrow());
        assertThat(result.at(pointer)).isEqualTo(json("{'v':" + expected + "}").get("v"));
    }

    @Test
    void refusesAMergeListElementWithoutItsKey() {
        // the message upstream gives; see Patches for the status code
        assertThatThrownBy(() -> Patches.apply(
                        Patches.STRATEGIC_MERGE_PATCH,
                        json("{'spec':{'containers':[{'name':'a','image':'x'}]}}"),
                        bytes("{\"spec\":{\"containers\":[{\"image\":\"y\"}]}}"),
                        POD))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("BadRequest");
                    assertThat(e.getMessage()).isEqualTo("map: map[image:y] does not contain declared merge key: name");
                });
    }

    @Test
    void answers415ForAResourceWithoutSchema() {
        // apiextensions-apiserver lists these types for custom resources; negotiation.NewUnsupportedMediaTypeError
        assertThat(OpenApiPatchSchema.forKind(DOCS, "example.com", "v1", "Widget"))
                .isEmpty();
        assertThatThrownBy(() -> Patches.apply(
                        Patches.STRATEGIC_MERGE_PATCH, json("{'spec':{}}"), bytes("{not even json"), Optional.empty()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(415);
                    assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
                    assertThat(e.getMessage())
                            .isEqualTo("the body of the request was in an unknown format - accepted media types "
                                    + "include: application/json-patch+json, application/merge-patch+json, "
                                    + "application/apply-patch+yaml");
                });
        assertThatThrownBy(() -> Patches.apply(Patches.STRATEGIC_MERGE_PATCH, json("{}"), bytes("{}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(415));
    }

    @Test
    void patchesHonourTheContract() {
        ObjectNode target = json("{'metadata':{'name':'c'},'data':{'a':'1'}}");
        ObjectNode before = target.deepCopy();

        ObjectNode result = Patches.apply(
                "application/strategic-merge-patch+json; charset=utf-8",
                target,
                bytes("{\"data\":{\"b\":\"2\"}}"),
                OpenApiPatchSchema.forKind(DOCS, "", "v1", "ConfigMap"));

        assertThat(result).isEqualTo(json("{'metadata':{'name':'c'},'data':{'a':'1','b':'2'}}"));
        assertThat(target).isEqualTo(before);
        assertThat(Patches.apply(Patches.STRATEGIC_MERGE_PATCH, target, bytes("null"), POD))
                .isEqualTo(before);
        assertThatThrownBy(() -> Patches.apply(Patches.STRATEGIC_MERGE_PATCH, target, bytes("[1]"), POD))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "json: cannot unmarshal array into Go value of type map[string]interface {}"));
    }

    @Test
    void schemasAreBuiltOncePerKind() {
        PatchSchema first =
                OpenApiPatchSchema.forKind(DOCS, "apps", "v1", "Deployment").orElseThrow();
        PatchSchema containers =
                first.field("spec").field("template").field("spec").field("containers");

        assertThat(OpenApiPatchSchema.forKind(DOCS, "apps", "v1", "Deployment").orElseThrow())
                .isSameAs(first);
        assertThat(first.field("spec").field("template").field("spec").field("containers"))
                .isSameAs(containers);
        assertThat(containers.mergeKey()).isEqualTo("name");
        assertThat(containers.strategies()).containsExactly(PatchSchema.Strategy.MERGE);
        assertThat(containers.items().field("ports").mergeKey()).isEqualTo("containerPort");
        assertThat(first.field("metadata").field("finalizers").items().primitive())
                .isTrue();
        assertThat(first.field("spec").field("strategy").strategies())
                .containsExactly(PatchSchema.Strategy.RETAIN_KEYS);
        assertThat(first.field("spec")
                        .field("template")
                        .field("spec")
                        .field("volumes")
                        .strategies())
                .containsExactlyInAnyOrder(PatchSchema.Strategy.MERGE, PatchSchema.Strategy.RETAIN_KEYS);
        assertThat(first.field("nonsense")).isSameAs(PatchSchema.NONE);
    }

    private static List<String> names(JsonNode list) {
        return StrategicMergePatch.elements(list).stream()
                .map(c -> c.get("name").asText())
                .toList();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
