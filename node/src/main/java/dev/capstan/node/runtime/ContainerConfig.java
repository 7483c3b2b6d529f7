package dev.capstan.node.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a container is created from. {@code command} replaces the image's entrypoint and {@code args} its
 * cmd, as in a pod spec; {@code logPath} is relative to the sandbox's log directory. Built with
 * {@link #builder(String, String)}, since most fields are optional.
 */
public record ContainerConfig(
        ContainerMetadata metadata,
        String image,
        List<String> command,
        List<String> args,
        String workingDir,
        List<EnvVar> env,
        List<Mount> mounts,
        LinuxResources resources,
        ContainerSecurity security,
        String logPath,
        boolean stdin,
        boolean stdinOnce,
        boolean tty,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public ContainerConfig {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public static Builder builder(String name, String image) {
        return new Builder(name, image);
    }

    /** Collects the optional fields; defaults: attempt 0, the image's command, no limits, log {@code name/attempt.log}. */
    public static final class Builder {
        private final String name;
        private final String image;
        private int attempt;
        private List<String> command = List.of();
        private List<String> args = List.of();
        private String workingDir = "";
        private final List<EnvVar> env = new ArrayList<>();
        private final List<Mount> mounts = new ArrayList<>();
        private LinuxResources resources = LinuxResources.NONE;
        private ContainerSecurity security = ContainerSecurity.DEFAULT;
        private String logPath;
        private boolean stdin;
        private boolean stdinOnce;
        private boolean tty;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();

        private Builder(String name, String image) {
            this.name = name;
            this.image = image;
        }

        public Builder attempt(int value) {
            attempt = value;
            return this;
        }

        public Builder command(String... value) {
            command = List.of(value);
            return this;
        }

        public Builder args(String... value) {
            args = List.of(value);
            return this;
        }

        public Builder workingDir(String value) {
            workingDir = value;
            return this;
        }

        public Builder env(String envName, String value) {
            env.add(new EnvVar(envName, value));
            return this;
        }

        public Builder mount(Mount value) {
            mounts.add(value);
            return this;
        }

        public Builder resources(LinuxResources value) {
            resources = value;
            return this;
        }

        public Builder security(ContainerSecurity value) {
            security = value;
            return this;
        }

        public Builder logPath(String value) {
            logPath = value;
            return this;
        }

        public Builder stdin(boolean value) {
            stdin = value;
            return this;
        }

        /** The runtime closes the container's stdin when the first attached client ends it (pod spec stdinOnce). */
        public Builder stdinOnce(boolean value) {
            stdinOnce = value;
            return this;
        }

        public Builder tty(boolean value) {
            tty = value;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public ContainerConfig build() {
            return new ContainerConfig(
                    new ContainerMetadata(name, attempt),
                    image,
                    command,
                    args,
                    workingDir,
                    env,
                    mounts,
                    resources,
                    security,
                    logPath != null ? logPath : name + "/" + attempt + ".log",
                    stdin,
                    stdinOnce,
                    tty,
                    labels,
                    annotations);
        }
    }
}
