package dev.capstan.model.pod;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upstream's {@code $(VAR)} expansion (third_party/forked/golang/expansion), used by the kubelet for command, args,
 * env values, subPathExpr and exec probes: a defined variable becomes its value, an undefined reference stays as
 * written, and {@code $$} is a literal {@code $}.
 */
public final class EnvExpansion {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([^)]*)\\)");

    private EnvExpansion() {}

    public static String expand(String value, Map<String, String> env) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group().equals("$$") ? "$" : env.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
