package dev.capstan.api.http;

import dev.capstan.api.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Accept-header negotiation for the API's object endpoints, in the way of upstream's (goautoneg): the ranges are
 * taken by quality, a more specific range before a wildcard at the same quality, then in the order sent, and the
 * first one this server can answer wins. Answers are JSON or YAML; a client that takes Kubernetes protobuf
 * (client-go's {@code application/vnd.kubernetes.protobuf,application/json}, or protobuf alone) gets JSON, which
 * client-go decodes by the response's Content-Type. Watches stream JSON only, as upstream has no YAML stream.
 * Anything else is upstream's 406 NotAcceptable instead of an answer in a type the client did not ask for.
 */
final class Negotiation {
    static final String ACCEPTED = "application/json, application/yaml, application/vnd.kubernetes.protobuf";
    static final String ACCEPTED_STREAMS = "application/json, application/vnd.kubernetes.protobuf";

    enum Format {
        JSON,
        YAML
    }

    private record Range(String type, double quality, int specificity, int position) {}

    private Negotiation() {}

    /** The format to answer in; throws 406 when the Accept header (absent or empty means anything) admits none. */
    static Format negotiate(String accept, boolean stream) {
        if (accept == null || accept.isBlank()) {
            return Format.JSON;
        }
        List<Range> ranges = new ArrayList<>();
        String[] parts = accept.split(",");
        for (int i = 0; i < parts.length; i++) {
            Range range = parse(parts[i], i);
            if (range.quality() > 0) {
                ranges.add(range);
            }
        }
        ranges.sort(Comparator.comparingDouble(Range::quality)
                .reversed()
                .thenComparing(Comparator.comparingInt(Range::specificity).reversed())
                .thenComparingInt(Range::position));
        for (Range range : ranges) {
            switch (range.type()) {
                case "application/json", "application/vnd.kubernetes.protobuf", "application/*", "*/*" -> {
                    return Format.JSON;
                }
                case "application/yaml" -> {
                    if (!stream) {
                        return Format.YAML;
                    }
                }
                default -> {
                    // not served; try the next range
                }
            }
        }
        throw new ApiException(
                406,
                "NotAcceptable",
                "only the following media types are accepted: " + (stream ? ACCEPTED_STREAMS : ACCEPTED),
                null);
    }

    private static Range parse(String text, int position) {
        String[] fields = text.split(";");
        String type = fields[0].trim().toLowerCase(Locale.ROOT);
        double quality = 1;
        for (int i = 1; i < fields.length; i++) {
            String param = fields[i].trim().toLowerCase(Locale.ROOT);
            if (param.startsWith("q=")) {
                quality = parseQuality(param.substring(2));
            }
        }
        int specificity = type.equals("*/*") ? 0 : type.endsWith("/*") ? 1 : 2;
        return new Range(type, quality, specificity, position);
    }

    private static double parseQuality(String q) {
        try {
            return Double.parseDouble(q.trim());
        } catch (NumberFormatException e) {
            return 0; // an unreadable quality admits nothing, as goautoneg reads it
        }
    }
}
