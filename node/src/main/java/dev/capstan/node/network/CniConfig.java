package dev.capstan.node.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CNI network list for a node's pods: a {@code bridge} that is the pods' gateway (hairpin on, so a pod can reach
 * itself through a Service; no masquerade, Service rules own that), host-local IPAM over the pod CIDR with its own
 * data directory, then {@code portmap} for hostPorts. No {@code loopback}: containerd's CRI plugin brings each pod's
 * {@code lo} up itself (its own loopback network before this list), and the list's would run that plugin a second
 * time for every pod added and removed.
 *
 * @param networkName the CNI network's name
 * @param bridge the bridge interface (at most 15 characters, Linux's limit)
 * @param podCidr the node's pod CIDR, e.g. {@code 10.244.0.0/24}
 * @param ipamDataDir where host-local records the addresses it handed out
 */
public record CniConfig(String networkName, String bridge, String podCidr, Path ipamDataDir) {

    /** The file name; containerd reads the first conflist of its conf_dir in lexical order. */
    public static final String FILE_NAME = "10-capstan.conflist";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CniConfig {
        if (bridge.isEmpty() || bridge.length() > 15) {
            throw new IllegalArgumentException("A bridge name has 1 to 15 characters: '" + bridge + "'");
        }
        if (!podCidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new IllegalArgumentException(
                    "The pod CIDR must be an IPv4 CIDR such as 10.244.0.0/24: '" + podCidr + "'");
        }
    }

    public String render() {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(Map.of("subnet", podCidr))));
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        ipam.put("dataDir", ipamDataDir.toString());
        Map<String, Object> bridgePlugin = new LinkedHashMap<>();
        bridgePlugin.put("type", "bridge");
        bridgePlugin.put("bridge", bridge);
        bridgePlugin.put("isGateway", true);
        bridgePlugin.put("hairpinMode", true);
        bridgePlugin.put("ipMasq", false);
        bridgePlugin.put("ipam", ipam);
        Map<String, Object> portmap = new LinkedHashMap<>();
        portmap.put("type", "portmap");
        portmap.put("capabilities", Map.of("portMappings", true));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", "0.4.0");
        list.put("name", networkName);
        list.put("plugins", List.of(bridgePlugin, portmap));
        try {
            return JSON.writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the CNI configuration", e);
        }
    }

    /** Writes {@link #FILE_NAME} into {@code confDir} (containerd's CNI conf_dir), replacing it atomically. */
    public Path writeTo(Path confDir) {
        Path file = confDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(confDir);
            Path temporary = Files.createTempFile(confDir, ".capstan", ".tmp");
            Files.writeString(temporary, render(), StandardCharsets.UTF_8);
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return file;
    }
}
