package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated defaulters' walk into nested types: volume sources, resource lists, claim templates. */
class NestedDefaultsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"iscsi\":{\"targetPortal\":\"t\",\"iqn\":\"q\"}}]}}",
                        "/spec/volumes/0/iscsi",
                        "{\"targetPortal\":\"t\",\"iqn\":\"q\",\"iscsiInterface\":\"default\"}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"rbd\":{\"monitors\":[\"m\"],\"image\":\"i\"}}]}}",
                        "/spec/volumes/0/rbd",
                        "{\"monitors\":[\"m\"],\"image\":\"i\",\"pool\":\"rbd\",\"user\":\"admin\",\"keyring\":\"/etc/ceph/keyring\"}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"azureDisk\":{\"diskName\":\"d\",\"diskURI\":\"u\"}}]}}",
                        "/spec/volumes/0/azureDisk",
                        "{\"diskName\":\"d\",\"diskURI\":\"u\",\"cachingMode\":\"ReadWrite\",\"fsType\":\"ext4\","
                                + "\"readOnly\":false,\"kind\":\"Shared\"}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"scaleIO\":{\"gateway\":\"g\",\"system\":\"s\",\"volumeName\":\"n\"}}]}}",
                        "/spec/volumes/0/scaleIO",
                        "{\"gateway\":\"g\",\"system\":\"s\",\"volumeName\":\"n\",\"storageMode\":\"ThinProvisioned\",\"fsType\":\"xfs\"}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"ephemeral\":{\"volumeClaimTemplate\":{\"spec\":{\"resources\":"
                                + "{\"requests\":{\"storage\":\"1.0001\"}}}}}}]}}",
                        "/spec/volumes/0/ephemeral/volumeClaimTemplate/spec",
                        "{\"resources\":{\"requests\":{\"storage\":\"1001m\"}},\"volumeMode\":\"Filesystem\"}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\",\"resources\":{\"limits\":{\"cpu\":\"100.0001m\"}}}],"
                                + "\"overhead\":{\"cpu\":\"0.0000001\"}}}",
                        "/spec/containers/0/resources",
                        "{\"limits\":{\"cpu\":\"101m\"},\"requests\":{\"cpu\":\"101m\"}}"),
                Arguments.of(
                        "",
                        "Pod",
                        "{\"spec\":{\"overhead\":{\"cpu\":\"0.0000001\"},\"containers\":[]}}",
                        "/spec/overhead",
                        "{\"cpu\":\"1m\"}"),
                Arguments.of(
                        "apps",
                        "StatefulSet",
                        "{\"spec\":{\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":"
                                + "[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}]}}",
                        "/spec/volumeClaimTemplates/0",
                        "{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":"
                                + "{\"requests\":{\"storage\":\"1Gi\"}},\"volumeMode\":\"Filesystem\"},\"status\":{\"phase\":\"Pending\"}}"),
                Arguments.of(
                        "batch",
                        "CronJob",
                        "{\"spec\":{\"jobTemplate\":{\"spec\":{\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\","
                                + "\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]}]},\"template\":{\"spec\":{}}}}}}",
                        "/spec/jobTemplate/spec/podFailurePolicy",
                        "{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]}]}"),
                Arguments.of(
                        "batch",
                        "Job",
                        "{\"spec\":{\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":"
                                + "[{\"type\":\"DisruptionTarget\"}]}]},\"template\":{\"spec\":{}}}}",
                        "/spec/podFailurePolicy",
                        "{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]}]}"));
    }

    @ParameterizedTest(name = "[{index}] {1} {3}")
    @MethodSource("cases")
    void defaults(String group, String kind, String input, String pointer, String expected) {
        ObjectNode object = obj(input);
        Kinds.defaults(group, kind, object);
        assertThat(object.at(pointer)).isEqualTo(obj(expected));
    }
}
