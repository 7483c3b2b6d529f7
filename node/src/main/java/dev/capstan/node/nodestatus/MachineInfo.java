package dev.capstan.node.nodestatus;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;

/**
 * What the kubelet's cadvisor and node status setters read from the machine: cpus, memory, disk, the first
 * non-loopback IPv4 address, the kernel, the OS image and the machine's identity.
 */
public record MachineInfo(
        int cpus,
        long memoryBytes,
        long diskBytes,
        String internalIp,
        String kernelVersion,
        String osImage,
        String machineId,
        String bootId,
        String architecture) {

    /** Reads this machine; {@code disk} is the filesystem the node's state lives on. */
    public static MachineInfo read(Path disk) {
        long memory = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            memory = Runtime.getRuntime().maxMemory();
        }
        long diskBytes;
        try {
            diskBytes = Files.getFileStore(disk).getTotalSpace();
        } catch (IOException e) {
            diskBytes = 0;
        }
        String osImage = "Linux";
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    osImage = line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // keep "Linux"
        }
        String arch = System.getProperty("os.arch", "amd64");
        arch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch.toLowerCase(Locale.ROOT);
        };
        return new MachineInfo(
                Runtime.getRuntime().availableProcessors(),
                memory,
                diskBytes,
                firstIpv4(),
                readOr("/proc/sys/kernel/osrelease", System.getProperty("os.version")),
                osImage,
                readOr("/etc/machine-id", ""),
                readOr("/proc/sys/kernel/random/boot_id", ""),
                arch);
    }

    /** The first non-loopback, non-link-local IPv4 address of an interface that is up; 127.0.0.1 if none. */
    static String firstIpv4() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }

    private static String readOr(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
