package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sources of a projected volume (validateProjectionSources): secrets, config maps, downward API files and service
 * account tokens, every path unique across them. Upstream reports a duplicate path and a token's path on the volume's
 * own path, not the source's; those spellings are kept.
 */
final class ProjectedSources {
    private ProjectedSources() {}

    private static final long MIN_TOKEN_SECONDS = 10 * 60;
    private static final long MAX_TOKEN_SECONDS = 1L << 32;

    static void validate(JsonNode projected, String path, PodOptions opts, Errors errs) {
        Set<String> paths = new HashSet<>();
        List<JsonNode> sources = JsonReads.items(projected, "sources");
        for (int i = 0; i < sources.size(); i++) {
            JsonNode source = sources.get(i);
            String sp = Errors.index(Errors.child(path, "sources"), i);
            int count = 0;
            for (String kind : List.of("secret", "configMap")) {
                JsonNode s = JsonReads.obj(source, kind);
                if (s == null) {
                    continue;
                }
                count++;
                String kp = Errors.child(sp, kind);
                String name = JsonReads.str(s, "name");
                if (name.isEmpty()) {
                    errs.required(Errors.child(kp, "name"), "");
                }
                List<JsonNode> items = JsonReads.items(s, "items");
                for (int j = 0; j < items.size(); j++) {
                    PodVolumes.keyToPath(items.get(j), Errors.index(Errors.child(kp, "items"), j), errs);
                    String p = JsonReads.str(items.get(j), "path");
                    if (!p.isEmpty() && !paths.add(p)) {
                        errs.invalid(path, name, "conflicting duplicate paths");
                    }
                }
            }
            if (JsonReads.obj(source, "downwardAPI") instanceof JsonNode downward) {
                count++;
                String dp = Errors.child(sp, "downwardAPI");
                for (JsonNode file : JsonReads.items(downward, "items")) {
                    PodVolumes.downwardApiFile(file, dp, errs);
                    String p = JsonReads.str(file, "path");
                    if (!p.isEmpty() && !paths.add(p)) {
                        errs.invalid(path, p, "conflicting duplicate paths");
                    }
                }
            }
            if (JsonReads.obj(source, "serviceAccountToken") instanceof JsonNode token) {
                count++;
                serviceAccountToken(token, Errors.child(sp, "serviceAccountToken"), path, opts, errs);
            }
            if (count > 1) {
                errs.forbidden(sp, "may not specify more than 1 volume type per source");
            }
        }
    }

    private static void serviceAccountToken(JsonNode token, String tp, String path, PodOptions opts, Errors errs) {
        long seconds = JsonReads.numOr(token, 0, "expirationSeconds");
        if (seconds < MIN_TOKEN_SECONDS) {
            errs.invalid(
                    Errors.child(tp, "expirationSeconds"), seconds, "may not specify a duration less than 10 minutes");
        }
        if (seconds > MAX_TOKEN_SECONDS) {
            errs.invalid(
                    Errors.child(tp, "expirationSeconds"),
                    seconds,
                    "may not specify a duration larger than 2^32 seconds");
        }
        String p = JsonReads.str(token, "path");
        if (p.isEmpty()) {
            errs.required(Errors.child(path, "path"), "");
        } else if (!opts.allowNonLocalProjectedTokenPath()) {
            PodVolumes.localNonReservedPath(p, Errors.child(path, "path"), errs);
        }
    }
}
