package dev.capstan.api.protobuf;

import static dev.capstan.api.protobuf.Bodies.body;
import static dev.capstan.api.protobuf.Bodies.json;
import static dev.capstan.api.protobuf.Bodies.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V2beta2Autoscaling;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {

    @Test
    void configMapWithDataAndBinaryData() {
        V1.ConfigMap configMap = V1.ConfigMap.newBuilder()
                .setMetadata(meta("settings").setNamespace("team-a"))
                .putData("mode", "fast")
                .putData("empty", "")
                .putBinaryData("blob", ByteString.copyFrom(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}))
                .build();

        assertThat(ProtobufBodies.decode(body("v1", "ConfigMap", configMap))).isEqualTo(json("""
                {"kind": "ConfigMap", "apiVersion": "v1",
                 "metadata": {"name": "settings", "namespace": "team-a", "creationTimestamp": null},
                 "data": {"empty": "", "mode": "fast"},
                 "binaryData": {"blob": "AAH+/w=="}}
                """));
    }

    @Test
    void secretDataIsBase64AndTypeIsKept() {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(meta("db"))
                .putData("password", ByteString.copyFromUtf8("hunter2"))
                .setType("Opaque")
                .build();

        assertThat(ProtobufBodies.decode(body("v1", "Secret", secret))).isEqualTo(json("""
                {"kind": "Secret", "apiVersion": "v1",
                 "metadata": {"name": "db", "creationTimestamp": null},
                 "data": {"password": "aHVudGVyMg=="},
                 "type": "Opaque"}
                """));
    }

    /** kubectl create deployment web --image=nginx --replicas=2, with the zero fields Go writes on the wire. */
    @Test
    void deploymentAsKubectlCreateDeploymentBuildsIt() {
        V1.Container container = V1.Container.newBuilder()
                .setName("nginx")
                .setImage("nginx")
                .setWorkingDir("")
                .setResources(V1.ResourceRequirements.getDefaultInstance())
                .setTerminationMessagePath("")
                .setImagePullPolicy("")
                .setStdin(false)
                .setTty(false)
                .build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(meta("web").putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(2)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(meta("").putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder()
                                        .addContainers(container)
                                        .setRestartPolicy("")
                                        .setDnsPolicy("")
                                        .setServiceAccountName("")
                                        .setHostNetwork(false)
                                        .setSchedulerName("")))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
                        .setMinReadySeconds(0)
                        .setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder()
                        .setObservedGeneration(0)
                        .setReplicas(0)
                        .setReadyReplicas(0))
                .build();

        assertThat(ProtobufBodies.decode(body("apps/v1", "Deployment", deployment)))
                .isEqualTo(json("""
                        {"kind": "Deployment", "apiVersion": "apps/v1",
                         "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
                         "spec": {
                           "replicas": 2,
                           "selector": {"matchLabels": {"app": "web"}},
                           "template": {
                             "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]}
                           },
                           "strategy": {}
                         },
                         "status": {}}
                        """));
    }

    @Test
    void replicasZeroIsKeptBecauseItIsAPointer() {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(meta("idle"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0).setMinReadySeconds(0))
                .build();

        assertThat(ProtobufBodies.decode(body("apps/v1", "Deployment", deployment))
                        .get("spec"))
                .isEqualTo(json("{\"replicas\": 0}"));
    }

    @Test
    void namespace() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(meta("team-a"))
                .setSpec(V1.NamespaceSpec.getDefaultInstance())
                .setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))
                .build();

        assertThat(ProtobufBodies.decode(body("v1", "Namespace", namespace))).isEqualTo(json("""
                {"kind": "Namespace", "apiVersion": "v1",
                 "metadata": {"name": "team-a", "creationTimestamp": null},
                 "spec": {}, "status": {}}
                """));
    }

    /** kubectl create job pi --image=perl -- perl -e 'print 1'. */
    @Test
    void job() {
        V1Batch.Job job = V1Batch.Job.newBuilder()
                .setMetadata(meta("pi"))
                .setSpec(V1Batch.JobSpec.newBuilder()
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(meta(""))
                                .setSpec(V1.PodSpec.newBuilder()
                                        .addContainers(V1.Container.newBuilder()
                                                .setName("pi")
                                                .setImage("perl")
                                                .addCommand("perl")
                                                .addCommand("-e")
                                                .addCommand("print 1")
                                                .setResources(V1.ResourceRequirements.getDefaultInstance()))
                                        .setRestartPolicy("Never"))))
                .setStatus(V1Batch.JobStatus.newBuilder()
                        .setActive(0)
                        .setSucceeded(0)
                        .setFailed(0))
                .build();

        assertThat(ProtobufBodies.decode(body("batch/v1", "Job", job))).isEqualTo(json("""
                {"kind": "Job", "apiVersion": "batch/v1",
                 "metadata": {"name": "pi", "creationTimestamp": null},
                 "spec": {"template": {
                   "metadata": {"creationTimestamp": null},
                   "spec": {
                     "containers": [{"name": "pi", "image": "perl", "command": ["perl", "-e", "print 1"],
                                     "resources": {}}],
                     "restartPolicy": "Never"}}},
                 "status": {}}
                """));
    }

    /** kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80 (autoscaling/v1 in kubectl 1.32). */
    @Test
    void horizontalPodAutoscalerV1AsKubectlAutoscaleBuildsIt() {
        V1Autoscaling.HorizontalPodAutoscaler hpa = V1Autoscaling.HorizontalPodAutoscaler.newBuilder()
                .setMetadata(meta("web"))
                .setSpec(V1Autoscaling.HorizontalPodAutoscalerSpec.newBuilder()
                        .setScaleTargetRef(V1Autoscaling.CrossVersionObjectReference.newBuilder()
                                .setKind("Deployment")
                                .setName("web")
                                .setApiVersion("apps/v1"))
                        .setMinReplicas(2)
                        .setMaxReplicas(5)
                        .setTargetCPUUtilizationPercentage(80))
                .setStatus(V1Autoscaling.HorizontalPodAutoscalerStatus.newBuilder()
                        .setCurrentReplicas(0)
                        .setDesiredReplicas(0))
                .build();

        assertThat(ProtobufBodies.decode(body("autoscaling/v1", "HorizontalPodAutoscaler", hpa)))
                .isEqualTo(json("""
                        {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v1",
                         "metadata": {"name": "web", "creationTimestamp": null},
                         "spec": {
                           "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
                           "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 80},
                         "status": {"currentReplicas": 0, "desiredReplicas": 0}}
                        """));
    }

    @Test
    void horizontalPodAutoscalerV2() {
        V2beta2Autoscaling.HorizontalPodAutoscaler hpa = V2beta2Autoscaling.HorizontalPodAutoscaler.newBuilder()
                .setMetadata(meta("web"))
                .setSpec(V2beta2Autoscaling.HorizontalPodAutoscalerSpec.newBuilder()
                        .setScaleTargetRef(V2beta2Autoscaling.CrossVersionObjectReference.newBuilder()
                                .setKind("Deployment")
                                .setName("web")
                                .setApiVersion("apps/v1"))
                        .setMinReplicas(1)
                        .setMaxReplicas(10)
                        .addMetrics(V2beta2Autoscaling.MetricSpec.newBuilder()
                                .setType("Resource")
                                .setResource(V2beta2Autoscaling.ResourceMetricSource.newBuilder()
                                        .setName("memory")
                                        .setTarget(V2beta2Autoscaling.MetricTarget.newBuilder()
                                                .setType("AverageValue")
                                                .setAverageValue(
                                                        io.kubernetes.client.proto.Resource.Quantity.newBuilder()
                                                                .setString("512Mi")))))
                        .setBehavior(V2beta2Autoscaling.HorizontalPodAutoscalerBehavior.newBuilder()
                                .setScaleDown(V2beta2Autoscaling.HPAScalingRules.newBuilder()
                                        .setStabilizationWindowSeconds(0)
                                        .addPolicies(V2beta2Autoscaling.HPAScalingPolicy.newBuilder()
                                                .setType("Pods")
                                                .setValue(1)
                                                .setPeriodSeconds(60)))))
                .setStatus(V2beta2Autoscaling.HorizontalPodAutoscalerStatus.newBuilder()
                        .setCurrentReplicas(0)
                        .setDesiredReplicas(0))
                .build();

        assertThat(ProtobufBodies.decode(body("autoscaling/v2", "HorizontalPodAutoscaler", hpa)))
                .isEqualTo(json("""
                        {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2",
                         "metadata": {"name": "web", "creationTimestamp": null},
                         "spec": {
                           "scaleTargetRef": {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"},
                           "minReplicas": 1, "maxReplicas": 10,
                           "metrics": [{"type": "Resource", "resource": {
                             "name": "memory", "target": {"type": "AverageValue", "averageValue": "512Mi"}}}],
                           "behavior": {"scaleDown": {
                             "stabilizationWindowSeconds": 0,
                             "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}}},
                         "status": {"desiredReplicas": 0}}
                        """));
    }

    @Test
    void rejectsABodyWithoutTheMagic() {
        byte[] json = "{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ProtobufBodies.decode(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k8s\\0");
        assertThatThrownBy(() -> ProtobufBodies.decode(new byte[] {'k', '8'}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k8s\\0");
    }

    @Test
    void rejectsGarbageAfterTheMagic() {
        byte[] garbage = body("not protobuf at all".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> ProtobufBodies.decode(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed protobuf envelope");
    }

    @Test
    void rejectsAnEnvelopeWithoutTypeMeta() {
        byte[] untyped = body(Runtime.Unknown.newBuilder()
                .setRaw(V1.ConfigMap.getDefaultInstance().toByteString())
                .build()
                .toByteArray());

        assertThatThrownBy(() -> ProtobufBodies.decode(untyped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no apiVersion and kind");
    }

    @Test
    void rejectsAKindItHasNoMessageFor() {
        byte[] crd = body("example.com/v1", "Widget", V1.ConfigMap.getDefaultInstance());
        byte[] wrongGroup = body("apps/v1", "ConfigMap", V1.ConfigMap.getDefaultInstance());

        assertThatThrownBy(() -> ProtobufBodies.decode(crd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no protobuf schema for Widget in example.com/v1; send it as application/json");
        assertThatThrownBy(() -> ProtobufBodies.decode(wrongGroup))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap in apps/v1");
    }

    @Test
    void rejectsAMalformedObject() {
        byte[] truncated = body(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
                .setRaw(ByteString.copyFrom(new byte[] {0x0a, 0x10, 0x0a}))
                .build()
                .toByteArray());

        assertThatThrownBy(() -> ProtobufBodies.decode(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed protobuf ConfigMap");
    }

    @Test
    void rejectsACompressedObject() {
        byte[] gzipped = body(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
                .setContentEncoding("gzip")
                .build()
                .toByteArray());

        assertThatThrownBy(() -> ProtobufBodies.decode(gzipped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gzip");
    }
}
