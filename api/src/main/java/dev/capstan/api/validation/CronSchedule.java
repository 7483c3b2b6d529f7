package dev.capstan.api.validation;

import java.math.BigInteger;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * robfig/cron v3's ParseStandard (5 fields or an @descriptor), reduced to "is it valid, and if not, its error text".
 */
final class CronSchedule {
    private CronSchedule() {}

    private record Bounds(int min, int max, Map<String, Integer> names) {}

    private static final Bounds MINUTES = new Bounds(0, 59, Map.of());
    private static final Bounds HOURS = new Bounds(0, 23, Map.of());
    private static final Bounds DOM = new Bounds(1, 31, Map.of());
    private static final Bounds MONTHS = new Bounds(
            1,
            12,
            Map.ofEntries(
                    Map.entry("jan", 1),
                    Map.entry("feb", 2),
                    Map.entry("mar", 3),
                    Map.entry("apr", 4),
                    Map.entry("may", 5),
                    Map.entry("jun", 6),
                    Map.entry("jul", 7),
                    Map.entry("aug", 8),
                    Map.entry("sep", 9),
                    Map.entry("oct", 10),
                    Map.entry("nov", 11),
                    Map.entry("dec", 12)));
    private static final Bounds DOW =
            new Bounds(0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6));
    private static final List<String> DESCRIPTORS =
            List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    /** Thrown with robfig/cron's error text. */
    static final class CronException extends Exception {
        private static final long serialVersionUID = 1L;

        CronException(String message) {
            super(message);
        }
    }

    static void parse(String spec) throws CronException {
        if (spec.isEmpty()) {
            throw new CronException("empty spec string");
        }
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            String zone = spec.substring(spec.indexOf('=') + 1, space < 0 ? spec.length() : space);
            if (!zoneExists(zone)) {
                throw new CronException("provided bad location " + zone + ": unknown time zone " + zone);
            }
            spec = space < 0 ? "" : spec.substring(space).strip();
        }
        if (spec.startsWith("@")) {
            descriptor(spec);
            return;
        }
        String[] fields =
                Arrays.stream(spec.split("\\s+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (fields.length != 5) {
            throw new CronException("expected exactly 5 fields, found " + fields.length + ": "
                    + Arrays.stream(fields).collect(Collectors.joining(" ", "[", "]")));
        }
        List<Bounds> bounds = List.of(MINUTES, HOURS, DOM, MONTHS, DOW);
        for (int i = 0; i < 5; i++) {
            for (String expr : fields[i].split(",")) {
                if (!expr.isEmpty()) {
                    range(expr, bounds.get(i));
                }
            }
        }
    }

    /** Go's time.LoadLocation: "" and "UTC" are UTC, "Local" is the local zone, otherwise an IANA name. */
    static boolean zoneExists(String zone) {
        if (zone.isEmpty() || zone.equals("UTC") || zone.equals("Local")) {
            return true;
        }
        return ZoneId.getAvailableZoneIds().contains(zone);
    }

    private static void descriptor(String spec) throws CronException {
        if (DESCRIPTORS.contains(spec)) {
            return;
        }
        if (spec.startsWith("@every ")) {
            String d = spec.substring("@every ".length());
            String err = GoDuration.parseError(d);
            if (err != null) {
                throw new CronException("failed to parse duration " + spec + ": " + err);
            }
            return;
        }
        throw new CronException("unrecognized descriptor: " + spec);
    }

    /** getRange: number | name | "*" | "?", optionally "-" end, optionally "/" step. */
    private static void range(String expr, Bounds r) throws CronException {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean single = lowAndHigh.length == 1;
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = r.min();
            end = r.max();
        } else {
            start = intOrName(lowAndHigh[0], r);
            switch (lowAndHigh.length) {
                case 1 -> end = start;
                case 2 -> end = intOrName(lowAndHigh[1], r);
                default -> throw new CronException("too many hyphens: " + expr);
            }
        }
        long step;
        switch (rangeAndStep.length) {
            case 1 -> step = 1;
            case 2 -> {
                step = number(rangeAndStep[1]);
                if (single) {
                    // "N/step" means "N-max/step"
                    end = r.max();
                }
            }
            default -> throw new CronException("too many slashes: " + expr);
        }
        if (start < r.min()) {
            throw new CronException("beginning of range (" + start + ") below minimum (" + r.min() + "): " + expr);
        }
        if (end > r.max()) {
            throw new CronException("end of range (" + end + ") above maximum (" + r.max() + "): " + expr);
        }
        if (start > end) {
            throw new CronException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) {
            throw new CronException("step of range should be a positive number: " + expr);
        }
    }

    private static long intOrName(String expr, Bounds r) throws CronException {
        Integer named = r.names().get(expr.toLowerCase(Locale.ROOT));
        return named != null ? named : number(expr);
    }

    /** mustParseInt, with Go's strconv.Atoi error wording. */
    private static long number(String expr) throws CronException {
        long num;
        try {
            if (!expr.matches("[+-]?[0-9]+")) {
                throw new CronException("failed to parse int from " + expr + ": strconv.Atoi: parsing "
                        + GoFormat.quote(expr) + ": invalid syntax");
            }
            BigInteger v = new BigInteger(expr.startsWith("+") ? expr.substring(1) : expr);
            if (v.bitLength() > 63) {
                throw new CronException("failed to parse int from " + expr + ": strconv.Atoi: parsing "
                        + GoFormat.quote(expr) + ": value out of range");
            }
            num = v.longValue();
        } catch (NumberFormatException e) {
            throw new CronException("failed to parse int from " + expr + ": strconv.Atoi: parsing "
                    + GoFormat.quote(expr) + ": invalid syntax");
        }
        if (num < 0) {
            throw new CronException("negative number (" + num + ") not allowed: " + expr);
        }
        return num;
    }
}
