package dev.capstan.node.images;

import dev.capstan.node.runtime.ContainerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The node's two local images, built from the machine's static busybox (package busybox-static) and imported into
 * containerd's {@code k8s.io} namespace, where CRI looks: {@link #BUSYBOX} ({@code /bin/busybox} and a symlink per
 * applet, CMD {@code sh}) and {@link #PAUSE} (the same layer running {@code sleep infinity}, the sandbox's process).
 */
public final class LocalImages {

    public static final String BUSYBOX = "localhost/capstan/busybox:1";
    public static final String PAUSE = "localhost/capstan/pause:1";
    /** Where busybox-static installs its binary (Debian); usrmerge makes both the same file. */
    public static final List<Path> BUSYBOX_PATHS = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    private static final Logger LOG = Logger.getLogger(LocalImages.class);
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n";
    private static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

    private LocalImages() {}

    /** Both images, built from {@code busybox} (a static binary) with the applets it lists. */
    public static List<OciImageLayout> build(Path busybox) {
        byte[] layer = busyboxLayer(readStaticBinary(busybox), applets(busybox));
        return List.of(
                new OciImageLayout(BUSYBOX, List.of(), List.of("sh"), layer),
                new OciImageLayout(PAUSE, List.of(), List.of("sleep", "infinity"), layer));
    }

    /**
     * Imports the images that the runtime's store lacks ({@code ctr -a SOCKET -n k8s.io image import}), writing
     * their tars under {@code workDir}; returns the names imported (empty when all were there).
     */
    public static List<String> ensureImported(ContainerRuntime runtime, Path socket, Path workDir) {
        if (List.of(BUSYBOX, PAUSE).stream()
                .allMatch(name -> runtime.imageStatus(name).isPresent())) {
            return List.of();
        }
        List<String> imported = new ArrayList<>();
        for (OciImageLayout image : build(findBusybox())) {
            if (runtime.imageStatus(image.name()).isPresent()) {
                continue;
            }
            Path tar = workDir.resolve(image.name().replaceAll("[^A-Za-z0-9.-]", "_") + ".tar");
            try {
                Files.createDirectories(workDir);
                Files.write(tar, image.toTar());
                ctr(socket, "image", "import", tar.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + tar, e);
            }
            LOG.infof("Imported %s (%s) into containerd at %s", image.name(), image.imageId(), socket);
            imported.add(image.name());
        }
        return imported;
    }

    /** The first static busybox of {@link #BUSYBOX_PATHS}, or a failure that says what to install. */
    public static Path findBusybox() {
        return BUSYBOX_PATHS.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "No busybox found at " + BUSYBOX_PATHS + ": apt-get install busybox-static"));
    }

    /** The layer: /bin/busybox, /bin/APPLET -> busybox for each applet, /etc/passwd and /etc/group, /tmp. */
    static byte[] busyboxLayer(byte[] busybox, List<String> applets) {
        var out = new ByteArrayOutputStream(busybox.length + 64 * 1024);
        try (var tar = new TarWriter(out)) {
            tar.directory("bin", 0755);
            tar.file("bin/busybox", 0755, busybox);
            for (String applet : new TreeSet<>(applets)) {
                if (!applet.equals("busybox")) {
                    tar.symlink("bin/" + applet, "busybox");
                }
            }
            tar.directory("etc", 0755);
            tar.file("etc/group", 0644, GROUP.getBytes(StandardCharsets.UTF_8));
            tar.file("etc/passwd", 0644, PASSWD.getBytes(StandardCharsets.UTF_8));
            tar.directory("root", 0700);
            tar.directory("tmp", 01777);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code busybox --list}: the applets this build has. */
    static List<String> applets(Path busybox) {
        return run(List.of(busybox.toString(), "--list"))
                .lines()
                .map(String::strip)
                .filter(line -> line.matches("[A-Za-z0-9_.\\[\\]-]+"))
                .toList();
    }

    /** The binary's bytes; refuses a dynamically linked one, which would not run in an image without libc. */
    static byte[] readStaticBinary(Path binary) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(binary);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + binary, e);
        }
        if (hasInterpreter(bytes)) {
            throw new IllegalStateException(binary + " is dynamically linked and cannot run alone in an image:"
                    + " apt-get install busybox-static");
        }
        return bytes;
    }

    /** Whether a 64-bit little-endian ELF file has a PT_INTERP program header (a dynamic loader). */
    static boolean hasInterpreter(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            throw new IllegalArgumentException("Not a 64-bit ELF file");
        }
        var buffer = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long programHeaders = buffer.getLong(0x20);
        int entrySize = Short.toUnsignedInt(buffer.getShort(0x36));
        int count = Short.toUnsignedInt(buffer.getShort(0x38));
        for (int i = 0; i < count; i++) {
            int type = buffer.getInt((int) (programHeaders + (long) i * entrySize));
            if (type == 3) { // PT_INTERP
                return true;
            }
        }
        return false;
    }

    private static void ctr(Path socket, String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "-a", socket.toString(), "-n", "k8s.io"));
        command.addAll(List.of(args));
        run(command);
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 2 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }
}
