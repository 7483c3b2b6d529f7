package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PersistentVolumeValidationTest {

    private static final String AFFINITY =
            "\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{\"matchExpressions\":"
                    + "[{\"key\":\"kubernetes.io/hostname\",\"operator\":\"In\",\"values\":[\"node-1\"]}]}]}}";

    static ObjectNode pv(String spec) {
        ObjectNode pv = obj("{\"metadata\":{\"name\":\"pv-1\"},\"spec\":{\"capacity\":{\"storage\":\"1Gi\"},"
                + "\"accessModes\":[\"ReadWriteOnce\"]" + spec + "}}");
        PersistentVolumeValidation.defaultPersistentVolume(pv);
        return pv;
    }

    static Stream<Arguments> volumes() {
        return Stream.of(
                Arguments.of(",\"hostPath\":{\"path\":\"/data\"}", List.of()),
                Arguments.of(",\"local\":{\"path\":\"/mnt/disk\"}," + AFFINITY, List.of()),
                Arguments.of(",\"nfs\":{\"server\":\"nfs.example.com\",\"path\":\"/exports\"}", List.of()),
                Arguments.of(",\"csi\":{\"driver\":\"ebs.csi.aws.com\",\"volumeHandle\":\"vol-1\"}", List.of()),
                Arguments.of(
                        "", List.of(cause("FieldValueRequired", "spec", "Required value: must specify a volume type"))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/a\"},\"nfs\":{\"server\":\"s\",\"path\":\"/e\"}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.nfs",
                                "Forbidden: may not specify more than 1 volume type"))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/a/../b\",\"type\":\"Pipe\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.hostPath.path",
                                        "Invalid value: \"/a/../b\": must not contain '..'"),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.hostPath.type",
                                        "Unsupported value: \"Pipe\": supported values: \"\", \"BlockDevice\", "
                                                + "\"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", "
                                                + "\"FileOrCreate\", \"Socket\""))),
                Arguments.of(
                        ",\"local\":{\"path\":\"/mnt/disk\"}",
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.nodeAffinity",
                                "Required value: Local volume requires node affinity"))),
                Arguments.of(
                        ",\"nfs\":{\"path\":\"exports\"}",
                        List.of(
                                cause("FieldValueRequired", "spec.nfs.server", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.nfs.path",
                                        "Invalid value: \"exports\": must be an absolute path"))),
                Arguments.of(
                        ",\"csi\":{\"driver\":\"\",\"nodePublishSecretRef\":{\"name\":\"s\"}}",
                        List.of(
                                cause("FieldValueRequired", "spec.csi.driver", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.csi.driver",
                                        "Invalid value: \"\": " + TestJson.SUBDOMAIN_MSG),
                                cause("FieldValueRequired", "spec.csi.volumeHandle", "Required value"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.csi.nodePublishSecretRef.namespace",
                                        "Required value"))),
                Arguments.of(
                        ",\"gcePersistentDisk\":{\"pdName\":\"\"}",
                        List.of(cause("FieldValueRequired", "spec.persistentDisk.pdName", "Required value"))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/\"},\"persistentVolumeReclaimPolicy\":\"Recycle\"",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.persistentVolumeReclaimPolicy",
                                "Forbidden: may not be 'recycle' for a hostPath mount of '/'"))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/d\"},\"persistentVolumeReclaimPolicy\":\"Keep\",\"volumeMode\":\"Raw\"",
                        List.of(
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.persistentVolumeReclaimPolicy",
                                        "Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.volumeMode",
                                        "Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\""))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/d\"},\"accessModes\":[\"ReadWriteOncePod\",\"ReadWriteOnce\"]",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.accessModes",
                                "Forbidden: may not use ReadWriteOncePod with other access modes"))),
                Arguments.of(
                        ",\"hostPath\":{\"path\":\"/d\"},\"nodeAffinity\":{\"required\":{\"nodeSelectorTerms\":[{"
                                + "\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"Near\"}],\"matchFields\":[{"
                                + "\"key\":\"spec.nodeName\",\"operator\":\"In\",\"values\":[\"a\"]}]}]}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].operator",
                                        "Invalid value: \"Near\": not a valid selector operator"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.nodeAffinity.required.nodeSelectorTerms[0].matchFields[0].key",
                                        "Invalid value: \"spec.nodeName\": not a valid field selector key"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("volumes")
    void create(String spec, List<Cause> expected) {
        assertThat(PersistentVolumeValidation.validatePersistentVolume(pv(spec)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void capacityMustBeOnlyPositiveStorage() {
        ObjectNode pv = pv(",\"hostPath\":{\"path\":\"/d\"}");
        pv.withObjectProperty("spec").set("capacity", obj("{\"storage\":\"0\",\"cpu\":\"1\"}"));
        assertThat(PersistentVolumeValidation.validatePersistentVolume(pv))
                .containsExactly(
                        cause(
                                "FieldValueNotSupported",
                                "spec.capacity",
                                "Unsupported value: core.ResourceList{\"cpu\":resource.Quantity{i:resource.int64Amount"
                                        + "{value:1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1\", "
                                        + "Format:\"DecimalSI\"}, \"storage\":resource.Quantity{i:resource.int64Amount"
                                        + "{value:0, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"0\", "
                                        + "Format:\"DecimalSI\"}}: supported values: \"storage\""),
                        cause(
                                "FieldValueInvalid",
                                "spec.capacity[storage]",
                                "Invalid value: \"0\": must be greater than zero"));
    }

    @Test
    void mountOptionsAnnotationOnlyForPluginsThatTakeThem() {
        ObjectNode pv = pv(",\"hostPath\":{\"path\":\"/d\"}");
        pv.withObjectProperty("metadata").putObject("annotations").put("volume.beta.kubernetes.io/mount-options", "ro");
        assertThat(PersistentVolumeValidation.validatePersistentVolume(pv))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "metadata.annotations.volume.beta.kubernetes.io/mount-options",
                        "Forbidden: may not specify mount options for this volume type"));
    }

    @Test
    void defaults() {
        ObjectNode pv = pv(",\"hostPath\":{\"path\":\"/d\"},\"rbd\":{\"monitors\":[\"m\"],\"image\":\"i\"}");
        assertThat(pv.get("status")).isEqualTo(obj("{\"phase\":\"Pending\"}"));
        assertThat(pv.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
        assertThat(pv.at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(pv.at("/spec/hostPath")).isEqualTo(obj("{\"path\":\"/d\",\"type\":\"\"}"));
        assertThat(pv.at("/spec/rbd"))
                .isEqualTo(obj("{\"monitors\":[\"m\"],\"image\":\"i\",\"pool\":\"rbd\",\"user\":\"admin\","
                        + "\"keyring\":\"/etc/ceph/keyring\"}"));
    }

    @Test
    void sourceVolumeModeAndAffinityAreImmutable() {
        ObjectNode old = pv(",\"local\":{\"path\":\"/mnt/a\"}," + AFFINITY);
        ObjectNode now =
                pv(",\"local\":{\"path\":\"/mnt/b\"},\"volumeMode\":\"Block\"," + AFFINITY.replace("node-1", "node-2"));
        assertThat(PersistentVolumeValidation.validatePersistentVolumeUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueForbidden",
                                "spec.persistentvolumesource",
                                "Forbidden: spec.persistentvolumesource is immutable after creation\n"
                                        + "- local.path: \"/mnt/a\"\n+ local.path: \"/mnt/b\""),
                        cause("FieldValueInvalid", "volumeMode", "Invalid value: \"Block\": field is immutable"),
                        cause(
                                "FieldValueInvalid",
                                "nodeAffinity",
                                "Invalid value: core.VolumeNodeAffinity{Required:(*core.NodeSelector)(0xc000000000)}: "
                                        + "field is immutable, except for updating from beta label to GA"));
        ObjectNode beta = pv(",\"local\":{\"path\":\"/mnt/a\"},"
                + AFFINITY.replace("kubernetes.io/hostname", "failure-domain.beta.kubernetes.io/zone"));
        ObjectNode ga = pv(",\"local\":{\"path\":\"/mnt/a\"},"
                + AFFINITY.replace("kubernetes.io/hostname", "topology.kubernetes.io/zone"));
        assertThat(PersistentVolumeValidation.validatePersistentVolumeUpdate(ga, beta))
                .isEmpty();
    }

    @Test
    void statusUpdateMovesThePhaseTransitionTime() {
        ObjectNode old = pv(",\"hostPath\":{\"path\":\"/d\"}");
        PersistentVolumeValidation.prepareForCreate(old, "2025-01-01T00:00:00Z");
        ObjectNode now = old.deepCopy();
        now.set("status", obj("{\"phase\":\"Available\"}"));
        PersistentVolumeValidation.prepareForStatusUpdate(now, old, "2025-02-01T00:00:00Z");
        assertThat(now.get("status"))
                .isEqualTo(obj("{\"phase\":\"Available\",\"lastPhaseTransitionTime\":\"2025-02-01T00:00:00Z\"}"));
        assertThat(PersistentVolumeValidation.validatePersistentVolumeStatusUpdate(now, old))
                .isEmpty();
    }

    static ObjectNode pvc(String spec) {
        ObjectNode pvc = obj("{\"metadata\":{\"name\":\"data\",\"namespace\":\"default\"},\"spec\":{"
                + "\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}" + spec
                + "}}");
        PersistentVolumeClaimValidation.defaultPersistentVolumeClaim(pvc);
        return pvc;
    }

    static Stream<Arguments> claims() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of(",\"dataSource\":{\"kind\":\"PersistentVolumeClaim\",\"name\":\"src\"}", List.of()),
                Arguments.of(
                        ",\"accessModes\":[]",
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.accessModes",
                                "Required value: at least 1 access mode is required"))),
                Arguments.of(
                        ",\"accessModes\":[\"ReadWriteAll\"]",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.accessModes",
                                "Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", "
                                        + "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""))),
                Arguments.of(
                        ",\"resources\":{}",
                        List.of(cause("FieldValueRequired", "spec.resources[storage]", "Required value"))),
                Arguments.of(
                        ",\"resources\":{\"requests\":{\"storage\":\"0\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.resources[storage]",
                                "Invalid value: \"0\": must be greater than zero"))),
                Arguments.of(
                        ",\"selector\":{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"Exists\",\"values\":[\"a\"]}]}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.selector.matchExpressions[0].values",
                                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))),
                Arguments.of(
                        ",\"dataSource\":{\"kind\":\"Secret\",\"name\":\"\"}",
                        List.of(
                                cause("FieldValueRequired", "spec.dataSource.name", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.dataSource",
                                        "Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the "
                                                + "default apiGroup"))),
                Arguments.of(
                        ",\"dataSource\":{\"kind\":\"PersistentVolumeClaim\",\"name\":\"a\"},"
                                + "\"dataSourceRef\":{\"kind\":\"PersistentVolumeClaim\",\"name\":\"b\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec",
                                "Invalid value: field.Path{name:\"dataSource\", index:\"\", parent:(*field.Path)"
                                        + "(0xc000000000)}: must match dataSourceRef"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("claims")
    void claimCreate(String spec, List<Cause> expected) {
        assertThat(PersistentVolumeClaimValidation.validatePersistentVolumeClaim(pvc(spec)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void claimDefaultsAndDataSourcePreparation() {
        ObjectNode pvc = pvc(",\"dataSource\":{\"kind\":\"PersistentVolumeClaim\",\"name\":\"src\"}");
        assertThat(pvc.at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(pvc.at("/status/phase").asText()).isEqualTo("Pending");
        PersistentVolumeClaimValidation.prepareForCreate(pvc);
        assertThat(pvc.has("status")).isFalse();
        assertThat(pvc.at("/spec/dataSourceRef"))
                .isEqualTo(obj("{\"kind\":\"PersistentVolumeClaim\",\"name\":\"src\"}"));
        ObjectNode ignored = pvc(",\"dataSource\":{\"kind\":\"Secret\",\"name\":\"s\"}");
        PersistentVolumeClaimValidation.prepareForCreate(ignored);
        assertThat(ignored.at("/spec").has("dataSource")).isFalse();
    }

    @Test
    void boundClaimsMayOnlyGrowAndNotBelowStatusCapacity() {
        ObjectNode old = pvc("");
        old.set("status", obj("{\"phase\":\"Bound\",\"capacity\":{\"storage\":\"1Gi\"}}"));
        old.withObjectProperty("spec").put("volumeName", "pv-1");
        ObjectNode grown = pvc(",\"volumeName\":\"pv-1\",\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}");
        PersistentVolumeClaimValidation.prepareForUpdate(grown, old);
        assertThat(PersistentVolumeClaimValidation.validatePersistentVolumeClaimUpdate(grown, old))
                .isEmpty();
        ObjectNode shrunk = pvc(",\"volumeName\":\"pv-1\",\"resources\":{\"requests\":{\"storage\":\"512Mi\"}},"
                + "\"storageClassName\":\"fast\"");
        PersistentVolumeClaimValidation.prepareForUpdate(shrunk, old);
        assertThat(PersistentVolumeClaimValidation.validatePersistentVolumeClaimUpdate(shrunk, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "spec.resources.requests.storage",
                        "Forbidden: field can not be less than status.capacity"));
        ObjectNode renamed = pvc(",\"volumeName\":\"pv-2\"");
        PersistentVolumeClaimValidation.prepareForUpdate(renamed, old);
        assertThat(PersistentVolumeClaimValidation.validatePersistentVolumeClaimUpdate(renamed, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "spec",
                        "Forbidden: spec is immutable after creation except resources.requests and "
                                + "volumeAttributesClassName for bound claims\n- volumeName: \"pv-1\"\n"
                                + "+ volumeName: \"pv-2\""));
    }

    @Test
    void claimStatusUpdate() {
        ObjectNode pvc = pvc("");
        pvc.set(
                "status",
                obj("{\"capacity\":{\"storage\":\"-1\"},\"allocatedResourceStatuses\":{\"storage\":"
                        + "\"Resizing\"},\"allocatedResources\":{\"cpu\":\"1\"}}"));
        assertThat(PersistentVolumeClaimValidation.validatePersistentVolumeClaimStatusUpdate(pvc, pvc))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "status.capacity[storage]",
                                "Invalid value: -1: must be a valid resource quantity"),
                        cause(
                                "FieldValueNotSupported",
                                "status.allocatedResourceStatus",
                                "Unsupported value: \"storage\": supported values: \"ControllerResizeInProgress\", "
                                        + "\"ControllerResizeInfeasible\", \"NodeResizeInProgress\", "
                                        + "\"NodeResizeInfeasible\", \"NodeResizePending\""),
                        cause(
                                "FieldValueNotSupported",
                                "status.allocatedResources",
                                "Unsupported value: \"cpu\": supported values: \"storage\""));
    }
}
