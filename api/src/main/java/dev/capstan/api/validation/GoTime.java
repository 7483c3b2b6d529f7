package dev.capstan.api.validation;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** metav1.Time and MicroTime values: parsing their RFC 3339 JSON form and printing them as Go's time.String does. */
final class GoTime {
    private GoTime() {}

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The parsed time, or null for an absent, empty or unparseable value (Go's zero time). */
    static OffsetDateTime parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Go's time.String: {@code 2024-01-02 03:04:05.5 +0000 UTC}. A UTC ("Z") time is in the UTC location; another
     * offset parses into an unnamed fixed zone, which Go prints as the offset again.
     */
    static GoFormat.Literal literal(String rfc3339) {
        OffsetDateTime t = parse(rfc3339);
        if (t == null) {
            return new GoFormat.Literal("0001-01-01 00:00:00 +0000 UTC");
        }
        StringBuilder b = new StringBuilder(DATE_TIME.format(t));
        if (t.getNano() != 0) {
            String frac = String.format("%09d", t.getNano()).replaceAll("0+$", "");
            b.append('.').append(frac);
        }
        String offset = offset(t.getOffset());
        boolean utc = rfc3339.endsWith("Z") || rfc3339.endsWith("z");
        return new GoFormat.Literal(b + " " + offset + " " + (utc ? "UTC" : offset));
    }

    private static String offset(ZoneOffset o) {
        int secs = o.getTotalSeconds();
        char sign = secs < 0 ? '-' : '+';
        int abs = Math.abs(secs);
        return String.format("%c%02d%02d", sign, abs / 3600, (abs % 3600) / 60);
    }
}
