package dev.capstan.api.http;

import dev.capstan.api.ApiException;
import java.util.Locale;
import java.util.Set;

/**
 * Accept-header negotiation for the API's object endpoints. Every answer is JSON; a client that also takes
 * Kubernetes protobuf (client-go's {@code application/vnd.kubernetes.protobuf,application/json}, or protobuf alone)
 * gets JSON too, which client-go decodes by the response's Content-Type. Anything else is refused with upstream's
 * 406 NotAcceptable instead of being answered in a type the client did not ask for.
 */
final class Negotiation {
    static final String ACCEPTED = "application/json, application/vnd.kubernetes.protobuf";
    private static final Set<String> SERVED =
            Set.of("*/*", "application/*", "application/json", "application/vnd.kubernetes.protobuf");

    private Negotiation() {}

    /** Throws 406 unless the Accept header (absent or empty means anything) admits a JSON answer. */
    static void requireJsonAcceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String range : accept.split(",")) {
            if (admits(range)) {
                return;
            }
        }
        throw new ApiException(406, "NotAcceptable", "only the following media types are accepted: " + ACCEPTED, null);
    }

    private static boolean admits(String range) {
        String[] parts = range.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!SERVED.contains(type)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim().toLowerCase(Locale.ROOT);
            if (param.startsWith("q=") && isZero(param.substring(2))) {
                return false; // q=0 means "not acceptable"
            }
        }
        return true;
    }

    private static boolean isZero(String q) {
        try {
            return Double.parseDouble(q.trim()) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
