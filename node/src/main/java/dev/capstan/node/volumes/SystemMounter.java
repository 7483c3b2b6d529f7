package dev.capstan.node.volumes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts with mount(8) and umount(8) in the agent's mount namespace (containerd's, so containers see them), and reads
 * the mount table from /proc/self/mountinfo.
 */
public final class SystemMounter implements Mounter {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    @Override
    public void mountTmpfs(Path dir, long sizeBytes) {
        List<String> command = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeBytes > 0) {
            command.addAll(List.of("-o", "size=" + sizeBytes));
        }
        command.addAll(List.of("tmpfs", dir.toString()));
        run(command);
    }

    @Override
    public void unmount(Path dir) {
        try {
            run(List.of("umount", dir.toString()));
        } catch (VolumeException e) {
            // Still busy (a process of a container that is going away): detach it now, it goes when released.
            run(List.of("umount", "-l", dir.toString()));
        }
    }

    @Override
    public List<Path> mountsUnder(Path dir) {
        List<Path> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 4) {
                    Path point = Path.of(unescape(fields[4]));
                    if (point.startsWith(dir)) {
                        mounts.add(point);
                    }
                }
            }
        } catch (IOException e) {
            throw new VolumeException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
        return mounts;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 …). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\'
                    && i + 3 < field.length()
                    && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VolumeException(String.join(" ", command) + " did not finish within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new VolumeException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new VolumeException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VolumeException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
