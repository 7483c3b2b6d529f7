package dev.capstan.api.validation;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tag an image reference resolves to, as kubelet's parsers.ParseImageName (distribution/reference) sees it:
 * "latest" when neither tag nor digest is given, "" when the reference does not parse or only has a digest.
 */
final class ImageReference {
    private ImageReference() {}

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String HOST = "(?:" + DOMAIN_NAME + "|\\[(?:[a-fA-F0-9:]+)\\])";
    private static final String DOMAIN_AND_PORT = HOST + "(?::[0-9]+)?";
    private static final String NAME =
            "(?:" + DOMAIN_AND_PORT + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

    static String tag(String image) {
        if (IDENTIFIER.matcher(image).matches()) {
            return "";
        }
        String remainder = normalise(image);
        if (remainder == null) {
            return "";
        }
        Matcher m = REFERENCE.matcher(remainder);
        if (!m.matches() || m.group(1).length() > 255) {
            return "";
        }
        String tag = m.group(2) == null ? "" : m.group(2);
        String digest = m.group(3) == null ? "" : m.group(3);
        return tag.isEmpty() && digest.isEmpty() ? "latest" : tag;
    }

    /** ParseNormalizedNamed: adds docker.io/library where implied and refuses upper-case repository names. */
    private static String normalise(String name) {
        int slash = name.indexOf('/');
        String domain;
        String remainder;
        if (slash == -1) {
            domain = "docker.io";
            remainder = name;
        } else {
            String first = name.substring(0, slash);
            boolean looksLikeDomain = first.contains(".")
                    || first.contains(":")
                    || first.equals("localhost")
                    || !first.toLowerCase(Locale.ROOT).equals(first);
            domain = looksLikeDomain ? first : "docker.io";
            remainder = looksLikeDomain ? name.substring(slash + 1) : name;
        }
        if (domain.equals("index.docker.io")) {
            domain = "docker.io";
        }
        if (domain.equals("docker.io") && !remainder.contains("/")) {
            remainder = "library/" + remainder;
        }
        int colon = remainder.indexOf(':');
        String remote = colon > -1 ? remainder.substring(0, colon) : remainder;
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            return null;
        }
        return domain + "/" + remainder;
    }
}
