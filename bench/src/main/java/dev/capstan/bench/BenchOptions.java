package dev.capstan.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The harness's command line: which parts to run and how long. */
record BenchOptions(
        Set<String> parts,
        Duration warmup,
        Duration duration,
        List<Integer> writers,
        int watchers,
        int watchRate,
        Duration watchDuration,
        int listKeys,
        int listWriters,
        List<Integer> inFlight,
        List<Integer> batchSizes,
        String etcdBinary) {

    static final List<String> ALL = List.of("writes", "watch", "list", "etcd");
    static final List<String> KNOWN = List.of("writes", "watch", "list", "etcd", "tuning");

    static final String USAGE = """
            usage: StoreBench [part...] [--option=value...]

            parts (default: all):
              writes   write throughput and latency of the store at each --writers count (new keys, 1 KiB values)
              watch    delivery latency from commit to --watchers subscribers at --watch-rate creates/s
              list     list --list-keys objects of 1 KiB: paginated by 500 and unpaginated (median of 3)
              etcd     the writes workload against a local etcd started by the harness, through jetcd
              tuning   the writes workload at 16 and 64 writers for each --in-flight and --batch-sizes value
              all      writes, watch, list and etcd (not tuning)

            options:
              --warmup=3s  --duration=10s  --writers=1,16,64
              --watchers=1000  --watch-rate=500  --watch-duration=20s
              --list-keys=100000  --list-writers=64
              --in-flight=1,2,4  --batch-sizes=512,16
              --etcd=etcd   (the etcd binary; found on PATH by default)

            Store settings (capstan.store.*) given as -D system properties apply to every store the harness
            opens, except the data directory: each store starts empty in a fresh temporary directory.
            """;

    static BenchOptions parse(String... args) {
        Set<String> parts = new LinkedHashSet<>();
        Duration warmup = Duration.ofSeconds(3);
        Duration duration = Duration.ofSeconds(10);
        List<Integer> writers = List.of(1, 16, 64);
        int watchers = 1000;
        int watchRate = 500;
        Duration watchDuration = Duration.ofSeconds(20);
        int listKeys = 100_000;
        int listWriters = 64;
        List<Integer> inFlight = List.of(1, 2, 4);
        List<Integer> batchSizes = List.of(512, 16);
        String etcd = "etcd";
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                String part = arg.toLowerCase(Locale.ROOT);
                if (part.equals("all")) {
                    parts.addAll(ALL);
                } else if (KNOWN.contains(part)) {
                    parts.add(part);
                } else {
                    throw new IllegalArgumentException("unknown part '" + arg + "'");
                }
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("options take a value: --name=value, not '" + arg + "'");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "warmup" -> warmup = duration(value);
                case "duration" -> duration = duration(value);
                case "writers" -> writers = ints(value);
                case "watchers" -> watchers = positive(value);
                case "watch-rate" -> watchRate = positive(value);
                case "watch-duration" -> watchDuration = duration(value);
                case "list-keys" -> listKeys = positive(value);
                case "list-writers" -> listWriters = positive(value);
                case "in-flight" -> inFlight = ints(value);
                case "batch-sizes" -> batchSizes = ints(value);
                case "etcd" -> etcd = value;
                default -> throw new IllegalArgumentException("unknown option '--" + name + "'");
            }
        }
        if (parts.isEmpty()) {
            parts.addAll(ALL);
        }
        return new BenchOptions(
                parts,
                warmup,
                duration,
                writers,
                watchers,
                watchRate,
                watchDuration,
                listKeys,
                listWriters,
                inFlight,
                batchSizes,
                etcd);
    }

    /** "10s", "500ms", "2m" or a plain number of seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 10s, 500ms or 2m)", e);
        }
    }

    /** A comma-separated list of positive numbers; shared with {@link ApiOptions}. */
    static List<Integer> ints(String text) {
        List<Integer> values = new ArrayList<>();
        for (String s : text.split(",")) {
            values.add(positive(s));
        }
        return List.copyOf(values);
    }

    static int positive(String text) {
        try {
            int v = Integer.parseInt(text.trim().replace("_", ""));
            if (v < 1) {
                throw new IllegalArgumentException("expected a positive number, not '" + text + "'");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return "parts=" + parts + " warmup=" + warmup.toMillis() + "ms duration=" + duration.toMillis()
                + "ms writers=" + writers + " watchers=" + watchers + " watch-rate=" + watchRate
                + " watch-duration=" + watchDuration.toMillis() + "ms list-keys=" + listKeys + " list-writers="
                + listWriters + " in-flight=" + inFlight + " batch-sizes=" + batchSizes + " etcd=" + etcdBinary;
    }
}
