package dev.capstan.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name=value} options of the cluster benchmarks (ControlPlaneBench, NodeBench). */
final class BenchArgs {
    private BenchArgs() {}

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, not " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    /**
     * {@code --jvms=one|separate} ({@code fallback} when absent): whether the components run in a JVM each
     * ({@code CAPSTAN_SEPARATE_JVMS=1}) rather than in the one JVM {@code ./capstan up} gives them.
     */
    static boolean separateJvms(Map<String, String> options, String fallback) {
        String jvms = options.getOrDefault("jvms", fallback);
        if (!jvms.equals("separate") && !jvms.equals("one")) {
            throw new IllegalArgumentException("--jvms is 'one' or 'separate', not '" + jvms + "'");
        }
        return jvms.equals("separate");
    }

    /** {@code --name=true|false}, false when absent. */
    static boolean flag(Map<String, String> options, String name) {
        String value = options.getOrDefault(name, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + name + " is 'true' or 'false', not '" + value + "'");
        }
        return value.equals("true");
    }

    /** {@code --name=N}, a count of zero or more ({@code fallback} when absent). */
    static int count(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what to give
        }
        throw new IllegalArgumentException("--" + name + " is a count (0, 1, 2, ...), not '" + value + "'");
    }
}
