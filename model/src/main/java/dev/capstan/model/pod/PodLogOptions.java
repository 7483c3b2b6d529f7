package dev.capstan.model.pod;

import dev.capstan.model.names.FieldErrors;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options of a container's log (upstream core/v1 PodLogOptions without {@code container}), as the API server takes
 * them from {@code …/pods/P/log} and the kubelet from {@code /containerLogs/NS/P/C}: both read the same query names,
 * so this is parsed and validated once for both.
 *
 * @param tailLines the last lines of the file to start from; empty: all
 * @param sinceSeconds only lines younger than this; at most one of this and {@code sinceTime}
 * @param limitBytes stop after this many bytes of output
 */
public record PodLogOptions(
        boolean follow,
        boolean previous,
        boolean timestamps,
        OptionalLong tailLines,
        OptionalLong sinceSeconds,
        Optional<Instant> sinceTime,
        OptionalLong limitBytes) {

    public static final PodLogOptions DEFAULTS = new PodLogOptions(
            false, false, false, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), OptionalLong.empty());

    /**
     * Decodes query parameters as upstream's parameter codec does (Go's strconv.ParseBool for flags, integers, RFC 3339
     * for sinceTime; the first value of a repeated name wins). The kubelet's legacy {@code tail} (a number or
     * {@code all}) stands for tailLines when given.
     *
     * @throws IllegalArgumentException saying which parameter cannot be decoded
     */
    public static PodLogOptions fromQuery(Map<String, List<String>> query) {
        Optional<String> tail = first(query, "tail");
        OptionalLong tailLines = tail.isPresent()
                ? (tail.get().equals("all") ? OptionalLong.empty() : OptionalLong.of(integer("tail", tail.get())))
                : first(query, "tailLines")
                        .map(v -> OptionalLong.of(integer("tailLines", v)))
                        .orElse(OptionalLong.empty());
        return new PodLogOptions(
                flag(query, "follow"),
                flag(query, "previous"),
                flag(query, "timestamps"),
                tailLines,
                first(query, "sinceSeconds")
                        .map(v -> OptionalLong.of(integer("sinceSeconds", v)))
                        .orElse(OptionalLong.empty()),
                first(query, "sinceTime").filter(v -> !v.isEmpty()).map(PodLogOptions::time),
                first(query, "limitBytes")
                        .map(v -> OptionalLong.of(integer("limitBytes", v)))
                        .orElse(OptionalLong.empty()));
    }

    /** The query that carries these options on to the kubelet (only what is set). */
    public Map<String, String> toQuery() {
        Map<String, String> q = new LinkedHashMap<>();
        if (follow) {
            q.put("follow", "true");
        }
        if (previous) {
            q.put("previous", "true");
        }
        if (timestamps) {
            q.put("timestamps", "true");
        }
        tailLines.ifPresent(v -> q.put("tailLines", Long.toString(v)));
        sinceSeconds.ifPresent(v -> q.put("sinceSeconds", Long.toString(v)));
        sinceTime.ifPresent(v -> q.put("sinceTime", v.toString()));
        limitBytes.ifPresent(v -> q.put("limitBytes", Long.toString(v)));
        return q;
    }

    /** Upstream's ValidatePodLogOptions, as field error texts; empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (tailLines.isPresent() && tailLines.getAsLong() < 0) {
            errors.add(invalid("tailLines", tailLines.getAsLong(), "must be greater than or equal to 0"));
        }
        if (limitBytes.isPresent() && limitBytes.getAsLong() < 1) {
            errors.add(invalid("limitBytes", limitBytes.getAsLong(), "must be greater than 0"));
        }
        if (sinceSeconds.isPresent() && sinceTime.isPresent()) {
            errors.add(": Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        } else if (sinceSeconds.isPresent() && sinceSeconds.getAsLong() < 1) {
            errors.add(invalid("sinceSeconds", sinceSeconds.getAsLong(), "must be greater than 0"));
        }
        return errors;
    }

    /** The earliest time a line may carry (upstream NewLogOptions): the later of sinceSeconds ago and sinceTime. */
    public Optional<Instant> since(Instant now) {
        Instant since = null;
        if (sinceSeconds.isPresent()) {
            since = now.minus(Duration.ofSeconds(sinceSeconds.getAsLong()));
        }
        if (sinceTime.isPresent() && (since == null || sinceTime.get().isAfter(since))) {
            since = sinceTime.get();
        }
        return Optional.ofNullable(since);
    }

    private static String invalid(String path, long value, String detail) {
        return path + ": Invalid value: " + value + ": " + detail;
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Go's strconv.ParseBool; an empty value is false, as upstream's conversion treats it. */
    private static boolean flag(Map<String, List<String>> query, String name) {
        return first(query, name)
                .map(v -> switch (v) {
                    case "", "0", "f", "F", "false", "FALSE", "False" -> false;
                    case "1", "t", "T", "true", "TRUE", "True" -> true;
                    default ->
                        throw new IllegalArgumentException(
                                name + ": cannot parse " + FieldErrors.quote(v) + " as a boolean");
                })
                .orElse(false);
    }

    private static long integer(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": cannot parse " + FieldErrors.quote(value) + " as an integer");
        }
    }

    /** metav1.Time's query form: RFC 3339, fractional seconds allowed. */
    private static Instant time(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "sinceTime: cannot parse " + FieldErrors.quote(value) + " as an RFC 3339 time");
        }
    }
}
