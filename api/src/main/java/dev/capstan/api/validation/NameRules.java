package dev.capstan.api.validation;

import dev.capstan.model.names.NameChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The string rules of apimachinery's util/validation (and api/validation/path), with upstream's messages. Each
 * returns the list of failed-rule messages; empty means valid. Lengths are in bytes, as Go's len() counts them. The
 * generic name and label rules live once in the model's {@link NameChecks}; this class adds the API-only ones.
 */
final class NameRules {
    private NameRules() {}

    static final String IS_NEGATIVE = "must be greater than or equal to 0";

    private static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String PERCENT_FMT = "[0-9]+%";

    private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);
    private static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FMT);
    private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    static int len(String s) {
        return NameChecks.len(s);
    }

    static String maxLenError(int length) {
        return NameChecks.maxLenError(length);
    }

    static String rangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    static String regexError(String msg, String fmt, String... examples) {
        return NameChecks.regexError(msg, fmt, examples);
    }

    static List<String> dns1123Label(String value) {
        return NameChecks.isDNS1123Label(value);
    }

    static List<String> dns1123Subdomain(String value) {
        return NameChecks.isDNS1123Subdomain(value);
    }

    static List<String> dns1035Label(String value) {
        return NameChecks.isDNS1035Label(value);
    }

    static List<String> qualifiedName(String value) {
        return NameChecks.isQualifiedName(value);
    }

    static List<String> labelValue(String value) {
        return NameChecks.isValidLabelValue(value);
    }

    static List<String> configMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > 253) {
            errs.add(maxLenError(253));
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add(regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_MAP_KEY_FMT,
                    "key.name",
                    "KEY_NAME",
                    "key-name"));
        }
        errs.addAll(chDirPrefix(value));
        return errs;
    }

    /** The strict env var rule: RelaxedEnvironmentVariableValidation is alpha and off in 1.32. */
    static List<String> envVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_VAR_NAME.matcher(value).matches()) {
            errs.add(regexError(
                    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or"
                            + " '.', and must not start with a digit",
                    ENV_VAR_NAME_FMT,
                    "my.env-name",
                    "MY_ENV.NAME",
                    "MyEnvName1"));
        }
        errs.addAll(chDirPrefix(value));
        return errs;
    }

    static List<String> cIdentifier(String value) {
        if (C_IDENTIFIER.matcher(value).matches()) {
            return List.of();
        }
        return List.of(regexError(
                "a valid C identifier must start with alphabetic character or '_', followed by a string of"
                        + " alphanumeric characters or '_'",
                C_IDENTIFIER_FMT,
                "my_name",
                "MY_NAME",
                "MyName"));
    }

    private static List<String> chDirPrefix(String value) {
        if (value.equals(".")) {
            return List.of("must not be '.'");
        } else if (value.equals("..")) {
            return List.of("must not be '..'");
        } else if (value.startsWith("..")) {
            return List.of("must not start with '..'");
        }
        return List.of();
    }

    static List<String> portNum(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(rangeError(1, 65535));
    }

    /** IANA_SVC_NAME: at most 15 of [-a-z0-9], at least one letter, no leading, trailing or double hyphen. */
    static List<String> portName(String port) {
        List<String> errs = new ArrayList<>();
        if (len(port) > 15) {
            errs.add(maxLenError(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.startsWith("-") || port.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    static List<String> percent(String value) {
        return PERCENT.matcher(value).matches()
                ? List.of()
                : List.of(regexError(
                        "a valid percent string must be a numeric string followed by an ending '%'",
                        PERCENT_FMT, "1%", "93%"));
    }

    /** Names used as path segments (RBAC kinds): only '.', '..', '/' and '%' are refused. */
    static List<String> pathSegmentName(String name, boolean prefix) {
        if (!prefix) {
            if (name.equals(".") || name.equals("..")) {
                return List.of("may not be '" + name + "'");
            }
        }
        List<String> errs = new ArrayList<>();
        for (String bad : List.of("/", "%")) {
            if (name.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        return errs;
    }

    /** The rule a kind applies to metadata.name (prefix: the value is a generateName that gets a suffix). */
    enum NameRule {
        DNS_SUBDOMAIN,
        DNS_LABEL,
        DNS1035_LABEL,
        PATH_SEGMENT;

        List<String> check(String name, boolean prefix) {
            if (this == PATH_SEGMENT) {
                return pathSegmentName(name, prefix);
            }
            String n = prefix ? maskTrailingDash(name) : name;
            return switch (this) {
                case DNS_LABEL -> dns1123Label(n);
                case DNS1035_LABEL -> dns1035Label(n);
                default -> dns1123Subdomain(n);
            };
        }

        /** Upstream's maskTrailingDash, kept byte-for-byte: it drops two characters and appends 'a'. */
        private static String maskTrailingDash(String name) {
            if (name.length() > 1 && name.endsWith("-")) {
                return name.substring(0, name.length() - 2) + "a";
            }
            return name;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
