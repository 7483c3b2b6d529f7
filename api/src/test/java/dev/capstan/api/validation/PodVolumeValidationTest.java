package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pod volumes of every source type (upstream's validateVolumeSource), with upstream's paths and messages. */
class PodVolumeValidationTest {

    private static final String FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive";
    private static final String V = "spec.volumes[0]";

    /** A pod (named web) with these volumes and one plain container. */
    private static List<Cause> create(String volumes) {
        return PodValidationTest.create(
                "{\"volumes\":" + volumes + ",\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
    }

    /** As {@link #create}, with a service account, which projected tokens need. */
    private static List<Cause> createWithAccount(String volumes) {
        return PodValidationTest.create("{\"serviceAccountName\":\"sa\",\"volumes\":" + volumes
                + ",\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
    }

    private static Arguments volume(String source, Cause... expected) {
        return Arguments.of("[{\"name\":\"v\"," + source + "}]", List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                volume("\"emptyDir\":{}"),
                volume(
                        "\"emptyDir\":{},\"hostPath\":{\"path\":\"/d\"}",
                        cause(
                                "FieldValueForbidden",
                                V + ".hostPath",
                                "Forbidden: may not specify more than 1 volume type")),
                volume(
                        "\"emptyDir\":{\"sizeLimit\":\"-1Gi\"}",
                        cause(
                                "FieldValueForbidden",
                                V + ".emptyDir.sizeLimit",
                                "Forbidden: SizeLimit field must be a valid resource quantity")),
                volume("\"hostPath\":{}", cause("FieldValueRequired", V + ".hostPath.path", "Required value")),
                volume(
                        "\"hostPath\":{\"path\":\"/a/../b\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".hostPath.path",
                                "Invalid value: \"/a/../b\": must not contain '..'")),
                volume(
                        "\"hostPath\":{\"path\":\"/d\",\"type\":\"Pipe\"}",
                        cause(
                                "FieldValueNotSupported",
                                V + ".hostPath.type",
                                "Unsupported value: \"Pipe\": supported values: \"\", \"BlockDevice\", \"CharDevice\", "
                                        + "\"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"")),
                volume(
                        "\"gitRepo\":{\"directory\":\"/abs\"}",
                        cause("FieldValueRequired", V + ".gitRepo.repository", "Required value"),
                        cause(
                                "FieldValueInvalid",
                                V + ".gitRepo.directory",
                                "Invalid value: \"/abs\": must be a relative path")),
                volume(
                        "\"gcePersistentDisk\":{\"pdName\":\"d\",\"partition\":256}",
                        cause(
                                "FieldValueInvalid",
                                V + ".persistentDisk.partition",
                                "Invalid value: 256: must be between 1 and 255, inclusive")),
                volume(
                        "\"awsElasticBlockStore\":{}",
                        cause("FieldValueRequired", V + ".awsElasticBlockStore.volumeID", "Required value")),
                volume(
                        "\"secret\":{\"defaultMode\":512,\"items\":[{\"path\":\"/abs\",\"mode\":-1}]}",
                        cause("FieldValueRequired", V + ".secret.secretName", "Required value"),
                        cause("FieldValueInvalid", V + ".secret.defaultMode", "Invalid value: 512: " + FILE_MODE),
                        cause("FieldValueRequired", V + ".secret.items[0].key", "Required value"),
                        cause(
                                "FieldValueInvalid",
                                V + ".secret.items[0].path",
                                "Invalid value: \"/abs\": must be a relative path"),
                        cause("FieldValueInvalid", V + ".secret.items[0].mode", "Invalid value: -1: " + FILE_MODE)),
                volume(
                        "\"configMap\":{\"name\":\"c\",\"items\":[{\"key\":\"k\",\"path\":\"..x\"}]}",
                        cause(
                                "FieldValueInvalid",
                                V + ".configMap.items[0].path",
                                "Invalid value: \"..x\": must not start with '..'")),
                volume(
                        "\"nfs\":{\"server\":\"s\",\"path\":\"rel\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".nfs.path",
                                "Invalid value: \"rel\": must be an absolute path")),
                volume(
                        "\"iscsi\":{\"targetPortal\":\"10.0.0.1:3260\",\"iqn\":\"xyz\",\"lun\":300}",
                        cause(
                                "FieldValueInvalid",
                                V + ".iscsi.iqn",
                                "Invalid value: \"xyz\": must be valid format starting with iqn, eui, or naa"),
                        cause(
                                "FieldValueInvalid",
                                V + ".iscsi.lun",
                                "Invalid value: 300: must be between 0 and 255, inclusive")),
                volume(
                        "\"iscsi\":{\"targetPortal\":\"" + "p".repeat(70)
                                + "\",\"iqn\":\"iqn.2001-04.com.example:storage\",\"initiatorName\":\"iqn.2001-04.com.example:node\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".name",
                                "Invalid value: \"v\": Total length of <volume name>:<iscsi.targetPortal> must be under "
                                        + "64 characters if iscsi.initiatorName is specified.")),
                volume(
                        "\"glusterfs\":{}",
                        cause("FieldValueRequired", V + ".glusterfs.endpoints", "Required value"),
                        cause("FieldValueRequired", V + ".glusterfs.path", "Required value")),
                volume(
                        "\"flocker\":{\"datasetName\":\"a\",\"datasetUUID\":\"b\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".flocker",
                                "Invalid value: \"resource\": datasetName and datasetUUID can not be specified "
                                        + "simultaneously")),
                volume(
                        "\"persistentVolumeClaim\":{}",
                        cause("FieldValueRequired", V + ".persistentVolumeClaim.claimName", "Required value")),
                volume(
                        "\"rbd\":{}",
                        cause("FieldValueRequired", V + ".rbd.monitors", "Required value"),
                        cause("FieldValueRequired", V + ".rbd.image", "Required value")),
                volume(
                        "\"cinder\":{\"volumeID\":\"v\",\"secretRef\":{}}",
                        cause("FieldValueRequired", V + ".cinder.secretRef.name", "Required value")),
                volume(
                        "\"emptyDir\":{},\"cephfs\":{\"monitors\":[\"m\"]}",
                        cause(
                                "FieldValueForbidden",
                                V + ".cephFS",
                                "Forbidden: may not specify more than 1 volume type")),
                volume(
                        "\"quobyte\":{\"registry\":\"bad\",\"volume\":\"v\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".quobyte.registry",
                                "Invalid value: \"bad\": must be a host:port pair or multiple pairs separated by commas")),
                volume(
                        "\"downwardAPI\":{\"items\":[{\"path\":\"p\"}]}",
                        cause(
                                "FieldValueRequired",
                                V + ".downwardAPI",
                                "Required value: one of fieldRef and resourceFieldRef is required")),
                volume(
                        "\"downwardAPI\":{\"items\":[{\"path\":\"p\",\"fieldRef\":{\"fieldPath\":\"spec.nodeName\"}}]}",
                        cause(
                                "FieldValueNotSupported",
                                V + ".downwardAPI.fieldRef.fieldPath",
                                "Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", "
                                        + "\"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"")),
                volume(
                        "\"downwardAPI\":{\"items\":[{\"path\":\"p\",\"fieldRef\":{\"fieldPath\":\"metadata.labels['-k']\"}}]}",
                        cause(
                                "FieldValueInvalid",
                                V + ".downwardAPI.fieldRef",
                                "Invalid value: \"-k\": " + NAME_PART_MSG)),
                volume(
                        "\"downwardAPI\":{\"items\":[{\"path\":\"p\",\"resourceFieldRef\":{\"resource\":\"limits.cpu\"}}]}",
                        cause(
                                "FieldValueRequired",
                                V + ".downwardAPI.resourceFieldRef.containerName",
                                "Required value")),
                volume(
                        "\"emptyDir\":{},\"downwardAPI\":{}",
                        cause(
                                "FieldValueForbidden",
                                V + ".downwarAPI",
                                "Forbidden: may not specify more than 1 volume type")),
                volume(
                        "\"fc\":{\"targetWWNs\":[\"w\"]}",
                        cause(
                                "FieldValueRequired",
                                V + ".fc.lun",
                                "Required value: lun is required if targetWWNs is specified")),
                volume(
                        "\"flexVolume\":{\"driver\":\"d\",\"options\":{\"kubernetes.io/x\":\"y\"}}",
                        cause(
                                "FieldValueInvalid",
                                V + ".flexVolume.options[kubernetes.io/x]",
                                "Invalid value: \"kubernetes.io/x\": kubernetes.io and k8s.io namespaces are reserved")),
                volume(
                        "\"azureFile\":{}",
                        cause("FieldValueRequired", V + ".azureFile.secretName", "Required value"),
                        cause("FieldValueRequired", V + ".azureFile.shareName", "Required value")),
                volume(
                        "\"vsphereVolume\":{}",
                        cause("FieldValueRequired", V + ".vsphereVolume.volumePath", "Required value")),
                volume(
                        "\"photonPersistentDisk\":{}",
                        cause("FieldValueRequired", V + ".photonPersistentDisk.pdID", "Required value")),
                volume(
                        "\"portworxVolume\":{}",
                        cause("FieldValueRequired", V + ".portworxVolume.volumeID", "Required value")),
                volume(
                        "\"azureDisk\":{\"diskName\":\"d\",\"diskURI\":\"https://x\",\"cachingMode\":\"Sometimes\"}",
                        cause(
                                "FieldValueNotSupported",
                                V + ".azureDisk.cachingMode",
                                "Unsupported value: \"Sometimes\": supported values: \"None\", \"ReadOnly\", \"ReadWrite\"")),
                volume(
                        "\"storageos\":{\"volumeName\":\"Bad\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".storageos.volumeName",
                                "Invalid value: \"Bad\": " + LABEL_MSG)),
                volume(
                        "\"projected\":{\"sources\":[{\"configMap\":{\"name\":\"a\",\"items\":[{\"key\":\"k\",\"path\":\"p\"}]}},"
                                + "{\"secret\":{\"name\":\"b\",\"items\":[{\"key\":\"k\",\"path\":\"p\"}]}}]}",
                        cause(
                                "FieldValueInvalid",
                                V + ".projected",
                                "Invalid value: \"b\": conflicting duplicate paths")),
                volume(
                        "\"projected\":{\"sources\":[{\"configMap\":{\"name\":\"a\"},\"secret\":{\"name\":\"b\"}}]}",
                        cause(
                                "FieldValueForbidden",
                                V + ".projected.sources[0]",
                                "Forbidden: may not specify more than 1 volume type per source")),
                volume(
                        "\"projected\":{\"sources\":[{\"serviceAccountToken\":{\"path\":\"token\"}}]}",
                        cause(
                                "FieldValueForbidden",
                                V + ".projected.sources[0].serviceAccountToken",
                                "Forbidden: must not be specified when serviceAccountName is not set")),
                volume(
                        "\"csi\":{\"driver\":\"Bad_Driver\"}",
                        cause(
                                "FieldValueInvalid",
                                V + ".csi.driver",
                                "Invalid value: \"Bad_Driver\": " + SUBDOMAIN_MSG)),
                volume(
                        "\"csi\":{\"driver\":\"d\",\"nodePublishSecretRef\":{\"name\":\"Bad\"}}",
                        cause("FieldValueInvalid", V + ".csi.name", "Invalid value: \"Bad\": " + SUBDOMAIN_MSG)),
                volume(
                        "\"ephemeral\":{}",
                        cause("FieldValueRequired", V + ".ephemeral.volumeClaimTemplate", "Required value")),
                volume(
                        "\"ephemeral\":{\"volumeClaimTemplate\":{\"metadata\":{\"name\":\"x\"},\"spec\":{}}}",
                        cause(
                                "FieldValueForbidden",
                                V + ".ephemeral.volumeClaimTemplate.metadata.name",
                                "Forbidden: cannot be set"),
                        cause(
                                "FieldValueRequired",
                                V + ".ephemeral.volumeClaimTemplate.spec.accessModes",
                                "Required value: at least 1 access mode is required"),
                        cause(
                                "FieldValueRequired",
                                V + ".ephemeral.volumeClaimTemplate.spec.resources[storage]",
                                "Required value")),
                Arguments.of(
                        "[{\"name\":\"scratch\",\"ephemeral\":{\"volumeClaimTemplate\":{\"spec\":{\"accessModes\":"
                                + "[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}}},"
                                + "{\"name\":\"p\",\"persistentVolumeClaim\":{\"claimName\":\"web-scratch\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.volumes[1].persistentVolumeClaim.claimName",
                                "Invalid value: \"web-scratch\": must not reference a PVC that gets created for an "
                                        + "ephemeral volume"))),
                Arguments.of(
                        "[{\"name\":\"a\",\"emptyDir\":{}},{\"name\":\"a\",\"emptyDir\":{}}]",
                        List.of(cause("FieldValueDuplicate", "spec.volumes[1].name", "Duplicate value: \"a\""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void volumes(String volumes, List<Cause> expected) {
        assertThat(create(volumes)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> tokenCases() {
        return Stream.of(
                Arguments.of("{\"path\":\"token\"}", List.of()),
                Arguments.of(
                        "{\"expirationSeconds\":60}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        V + ".projected.sources[0].serviceAccountToken.expirationSeconds",
                                        "Invalid value: 60: may not specify a duration less than 10 minutes"),
                                cause("FieldValueRequired", V + ".projected.path", "Required value"))),
                Arguments.of(
                        "{\"path\":\"../token\",\"expirationSeconds\":4294967297}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        V + ".projected.sources[0].serviceAccountToken.expirationSeconds",
                                        "Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds"),
                                cause(
                                        "FieldValueInvalid",
                                        V + ".projected.path",
                                        "Invalid value: \"../token\": must not contain '..'"))));
    }

    /** Projected service account tokens: upstream reports the token's path on the volume's path. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("tokenCases")
    void serviceAccountTokens(String token, List<Cause> expected) {
        assertThat(createWithAccount(
                        "[{\"name\":\"v\",\"projected\":{\"sources\":[{\"serviceAccountToken\":" + token + "}]}}]"))
                .containsExactlyElementsOf(expected);
    }
}
