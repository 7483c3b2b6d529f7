package dev.capstan.model.names;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The generic string rules of apimachinery's util/validation with upstream's messages. Each returns the failed
 * rules' messages; an empty list means valid. Lengths count UTF-8 bytes, as Go's len() does.
 */
public final class NameChecks {
    private NameChecks() {}

    public static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    public static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    public static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    public static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int DNS1035_LABEL_MAX_LENGTH = 63;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);

    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and"
            + " must start and end with an alphanumeric character";

    /** Go's len(s): the UTF-8 byte count. */
    public static int len(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Upstream's MaxLenError. */
    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** Upstream's RegexError: the message, the examples, then the regex. */
    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            b.append(i > 0 ? " or " : "").append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '")
                .append(fmt)
                .append("')")
                .toString();
    }

    /** IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                name = parts[1];
                if (parts[0].isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    isDNS1123Subdomain(parts[0]).forEach(m -> errs.add("prefix part " + m));
                }
            }
            default -> {
                errs.add("a qualified name "
                        + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (len(name) > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** IsValidLabelValue: empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
                            + " and must start and end with an alphanumeric character",
                    LABEL_VALUE_FMT,
                    "MyValue",
                    "my_value",
                    "12345"));
        }
        return errs;
    }

    /** IsDNS1123Label (RFC 1123 label, lower case). */
    public static List<String> isDNS1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                // a valid subdomain that is not a label can only be failing on its dots
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(
                        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and"
                                + " must start and end with an alphanumeric character",
                        DNS1123_LABEL_FMT,
                        "my-name",
                        "123-abc"));
            }
        }
        return errs;
    }

    /** IsDNS1123Subdomain (RFC 1123 subdomain, lower case). */
    public static List<String> isDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                            + " and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT,
                    "example.com"));
        }
        return errs;
    }

    /** IsDNS1035Label (RFC 1035 label: starts with a letter). */
    public static List<String> isDNS1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > DNS1035_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(
                    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
                            + " alphabetic character, and end with an alphanumeric character",
                    DNS1035_LABEL_FMT,
                    "my-name",
                    "abc-123"));
        }
        return errs;
    }
}
