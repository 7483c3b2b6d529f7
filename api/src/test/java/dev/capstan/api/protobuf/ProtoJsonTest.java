package dev.capstan.api.protobuf;

import static dev.capstan.api.protobuf.Bodies.body;
import static dev.capstan.api.protobuf.Bodies.json;
import static dev.capstan.api.protobuf.Bodies.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import org.junit.jupiter.api.Test;

/** The Go-JSON forms the generic walk must reproduce. */
class ProtoJsonTest {

    @Test
    void podWithQuantitiesIntOrStringsInlineStructsAndPointers() {
        V1.Container container = V1.Container.newBuilder()
                .setName("app")
                .setImage("app:1")
                .setResources(V1.ResourceRequirements.newBuilder()
                        .putLimits("cpu", quantity("500m"))
                        .putLimits("memory", quantity("128Mi"))
                        .putRequests("cpu", Resource.Quantity.getDefaultInstance()))
                .setLivenessProbe(V1.Probe.newBuilder()
                        .setHandler(V1.ProbeHandler.newBuilder()
                                .setHttpGet(V1.HTTPGetAction.newBuilder()
                                        .setPath("/healthz")
                                        .setPort(intOrString(8080))
                                        .setHost("")))
                        .setInitialDelaySeconds(0)
                        .setPeriodSeconds(10))
                .setReadinessProbe(V1.Probe.newBuilder()
                        .setHandler(V1.ProbeHandler.newBuilder()
                                .setTcpSocket(V1.TCPSocketAction.newBuilder().setPort(intOrString("http")))))
                .addEnv(V1.EnvVar.newBuilder()
                        .setName("PASSWORD")
                        .setValue("")
                        .setValueFrom(V1.EnvVarSource.newBuilder()
                                .setSecretKeyRef(V1.SecretKeySelector.newBuilder()
                                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder()
                                                .setName("db"))
                                        .setKey("password")
                                        .setOptional(false))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(meta("app")
                        .setDeletionTimestamp(Meta.Time.newBuilder()
                                .setSeconds(1_700_000_000L)
                                .setNanos(5))
                        .setDeletionGracePeriodSeconds(0))
                .setSpec(V1.PodSpec.newBuilder()
                        .addContainers(container)
                        .addVolumes(V1.Volume.newBuilder()
                                .setName("config")
                                .setVolumeSource(V1.VolumeSource.newBuilder()
                                        .setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                                                .setLocalObjectReference(V1.LocalObjectReference.newBuilder()
                                                        .setName("app"))
                                                .setDefaultMode(420))))
                        .setAutomountServiceAccountToken(false)
                        .setTerminationGracePeriodSeconds(0)
                        .setHostNetwork(false))
                .build();

        assertThat(ProtoJson.toJson(pod)).isEqualTo(json("""
                {"metadata": {"name": "app", "creationTimestamp": null,
                              "deletionTimestamp": "2023-11-14T22:13:20Z", "deletionGracePeriodSeconds": 0},
                 "spec": {
                   "volumes": [{"name": "config", "configMap": {"name": "app", "defaultMode": 420}}],
                   "containers": [{
                     "name": "app", "image": "app:1",
                     "env": [{"name": "PASSWORD",
                              "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": false}}}],
                     "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0"}},
                     "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
                     "readinessProbe": {"tcpSocket": {"port": "http"}}}],
                   "terminationGracePeriodSeconds": 0,
                   "automountServiceAccountToken": false}}
                """));
    }

    @Test
    void microTimeHasMicrosecondsAndAnEmptyTimeIsNull() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(meta("app.17a"))
                .setInvolvedObject(
                        V1.ObjectReference.newBuilder().setKind("Pod").setName("app"))
                .setReason("Started")
                .setFirstTimestamp(Meta.Time.getDefaultInstance())
                .setLastTimestamp(Meta.Time.newBuilder().setSeconds(0))
                .setEventTime(
                        Meta.MicroTime.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789))
                .setCount(0)
                .build();

        assertThat(ProtoJson.toJson(event)).isEqualTo(json("""
                {"metadata": {"name": "app.17a", "creationTimestamp": null},
                 "involvedObject": {"kind": "Pod", "name": "app"},
                 "reason": "Started",
                 "firstTimestamp": null,
                 "lastTimestamp": "1970-01-01T00:00:00Z",
                 "eventTime": "2023-11-14T22:13:20.123456Z"}
                """));
    }

    @Test
    void goZeroTimeIsNull() {
        Meta.ObjectMeta meta = meta("x")
                .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(-62_135_596_800L))
                .build();

        assertThat(ProtoJson.toJson(meta)).isEqualTo(json("{\"name\": \"x\", \"creationTimestamp\": null}"));
    }

    /** kubectl create token sa1 --bound-object-kind=Pod ...: the proto field uID is "uid" in JSON. */
    @Test
    void tokenRequestUsesTheJsonNameOfBoundObjectUid() {
        V1Authentication.TokenRequest request = V1Authentication.TokenRequest.newBuilder()
                .setMetadata(meta(""))
                .setSpec(V1Authentication.TokenRequestSpec.newBuilder()
                        .addAudiences("api")
                        .setExpirationSeconds(600)
                        .setBoundObjectRef(V1Authentication.BoundObjectReference.newBuilder()
                                .setKind("Pod")
                                .setApiVersion("v1")
                                .setName("app")
                                .setUID("0b7a7c39")))
                .setStatus(V1Authentication.TokenRequestStatus.newBuilder()
                        .setToken("")
                        .setExpirationTimestamp(Meta.Time.getDefaultInstance()))
                .build();

        assertThat(ProtobufBodies.decode(body("authentication.k8s.io/v1", "TokenRequest", request)))
                .isEqualTo(json("""
                        {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                         "metadata": {"creationTimestamp": null},
                         "spec": {"audiences": ["api"], "expirationSeconds": 600,
                                  "boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "app",
                                                     "uid": "0b7a7c39"}},
                         "status": {"token": "", "expirationTimestamp": null}}
                        """));
    }

    @Test
    void extraValuesAreArraysAndAllowedFalseIsKept() {
        V1Authorization.SubjectAccessReview review = V1Authorization.SubjectAccessReview.newBuilder()
                .setMetadata(meta(""))
                .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("default")
                                .setVerb("get")
                                .setGroup("")
                                .setResource("pods"))
                        .setUser("alice")
                        .addGroups("devs")
                        .putExtra(
                                "scopes",
                                V1Authorization.ExtraValue.newBuilder()
                                        .addItems("a")
                                        .addItems("b")
                                        .build())
                        .setUid(""))
                .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder()
                        .setAllowed(false)
                        .setDenied(false)
                        .setReason(""))
                .build();

        assertThat(ProtobufBodies.decode(body("authorization.k8s.io/v1", "SubjectAccessReview", review)))
                .isEqualTo(json("""
                        {"kind": "SubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                         "metadata": {"creationTimestamp": null},
                         "spec": {"resourceAttributes": {"namespace": "default", "verb": "get", "resource": "pods"},
                                  "user": "alice", "groups": ["devs"], "extra": {"scopes": ["a", "b"]}},
                         "status": {"allowed": false}}
                        """));
    }

    @Test
    void rawExtensionsAndManagedFieldsAreJson() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(meta("web-5d4f")
                        .addManagedFields(Meta.ManagedFieldsEntry.newBuilder()
                                .setManager("kube-controller-manager")
                                .setOperation("Update")
                                .setApiVersion("apps/v1")
                                .setFieldsType("FieldsV1")
                                .setFieldsV1(Meta.FieldsV1.newBuilder().setRaw(utf8("{\"f:data\":{}}")))))
                .setData(Runtime.RawExtension.newBuilder().setRaw(utf8("{\"spec\":{\"replicas\":3,\"big\":1e30}}")))
                .setRevision(1)
                .build();
        V1Apps.ControllerRevision empty = V1Apps.ControllerRevision.newBuilder()
                .setData(Runtime.RawExtension.getDefaultInstance())
                .setRevision(0)
                .build();

        assertThat(ProtoJson.toJson(revision)).isEqualTo(json("""
                {"metadata": {"name": "web-5d4f", "creationTimestamp": null,
                              "managedFields": [{"manager": "kube-controller-manager", "operation": "Update",
                                                 "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                                                 "fieldsV1": {"f:data": {}}}]},
                 "data": {"spec": {"replicas": 3, "big": 1e30}},
                 "revision": 1}
                """));
        assertThat(ProtoJson.toJson(empty)).isEqualTo(json("{\"data\": null, \"revision\": 0}"));
    }

    @Test
    void rawExtensionThatIsNotJsonIsRejected() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setData(Runtime.RawExtension.newBuilder().setRaw(utf8("{\"spec\": ")))
                .build();

        assertThatThrownBy(() -> ProtoJson.toJson(revision))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raw JSON at data");
    }

    @Test
    void intOrStringOfUnknownTypeIsRejected() {
        V1.ServicePort port = V1.ServicePort.newBuilder()
                .setTargetPort(IntStr.IntOrString.newBuilder().setType(7))
                .build();

        assertThatThrownBy(() -> ProtoJson.toJson(port))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IntOrString at targetPort has unknown type 7");
    }

    /** A field newer than the 1.30 schema is refused rather than dropped, unless Go merely wrote its zero value. */
    @Test
    void unknownFieldsAreRejectedUnlessZero() {
        UnknownFieldSet newerZeroFields = UnknownFieldSet.newBuilder()
                .addField(90, UnknownFieldSet.Field.newBuilder().addVarint(0).build())
                .addField(
                        91,
                        UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.EMPTY)
                                .build())
                .build();
        UnknownFieldSet newerField = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                .build();
        V1.ConfigMap zero = V1.ConfigMap.newBuilder()
                .setMetadata(meta("cm").setUnknownFields(newerZeroFields))
                .build();
        V1.ConfigMap set = V1.ConfigMap.newBuilder()
                .setMetadata(meta("cm").setUnknownFields(newerField))
                .build();

        assertThat(ProtobufBodies.decode(body("v1", "ConfigMap", zero))).isEqualTo(json("""
                        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "cm", "creationTimestamp": null}}
                        """));
        assertThatThrownBy(() -> ProtobufBodies.decode(body("v1", "ConfigMap", set)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("protobuf field 99 of ObjectMeta at metadata is not in");
    }

    private static Resource.Quantity quantity(String value) {
        return Resource.Quantity.newBuilder().setString(value).build();
    }

    private static IntStr.IntOrString intOrString(int value) {
        return IntStr.IntOrString.newBuilder()
                .setType(0)
                .setIntVal(value)
                .setStrVal("")
                .build();
    }

    private static IntStr.IntOrString intOrString(String value) {
        return IntStr.IntOrString.newBuilder()
                .setType(1)
                .setIntVal(0)
                .setStrVal(value)
                .build();
    }

    private static ByteString utf8(String text) {
        return ByteString.copyFromUtf8(text);
    }
}
