package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Probes and lifecycle hooks (validateProbe and its liveness/readiness/startup variants, validateLifecycle,
 * validateHandler). PodLifecycleSleepAction is beta and on in 1.32; a zero sleep (PodLifecycleSleepActionAllowZero)
 * is alpha, so it is refused unless the old pod already used one.
 */
final class ProbeValidation {
    private ProbeValidation() {}

    private static final String HEADER_FMT = "[-A-Za-z0-9]+";
    private static final Pattern HEADER = Pattern.compile(HEADER_FMT);
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    private static final List<String> LIFECYCLE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");

    /** Lifecycle then the three probes, as a regular (or restartable init) container has them. */
    static void container(JsonNode ctr, Long grace, String path, PodOptions opts, Errors errs) {
        JsonNode lifecycle = JsonReads.obj(ctr, "lifecycle");
        if (lifecycle != null) {
            for (String hook : List.of("postStart", "preStop")) {
                if (JsonReads.obj(lifecycle, hook) instanceof JsonNode h) {
                    handler(
                            h,
                            LIFECYCLE_HANDLERS,
                            grace,
                            Errors.child(Errors.child(path, "lifecycle"), hook),
                            opts,
                            errs);
                }
            }
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode p = JsonReads.obj(ctr, probe);
            if (p == null) {
                continue;
            }
            String pp = Errors.child(path, probe);
            handler(p, PROBE_HANDLERS, grace, pp, opts, errs);
            for (String f : List.of(
                    "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
                errs.nonNegative(Errors.child(pp, f), JsonReads.numOr(p, 0, f));
            }
            Long probeGrace = JsonReads.num(p, "terminationGracePeriodSeconds");
            if (probeGrace != null && probeGrace <= 0) {
                errs.invalid(Errors.child(pp, "terminationGracePeriodSeconds"), probeGrace, "must be greater than 0");
            }
            if (probe.equals("readinessProbe")) {
                if (probeGrace != null) {
                    errs.invalid(
                            Errors.child(pp, "terminationGracePeriodSeconds"),
                            probeGrace,
                            "must not be set for readinessProbes");
                }
            } else {
                long success = JsonReads.numOr(p, 0, "successThreshold");
                if (success != 1) {
                    errs.invalid(Errors.child(pp, "successThreshold"), success, "must be 1");
                }
            }
        }
    }

    /** validateHandler over the handler kinds a probe or a lifecycle hook can hold, in upstream's order. */
    private static void handler(
            JsonNode handler, List<String> kinds, Long grace, String path, PodOptions opts, Errors errs) {
        int count = 0;
        for (String kind : kinds) {
            JsonNode h = JsonReads.obj(handler, kind);
            if (h == null) {
                continue;
            }
            String hp = Errors.child(path, kind);
            if (count++ > 0) {
                errs.forbidden(hp, "may not specify more than 1 handler type");
                continue;
            }
            switch (kind) {
                case "exec" -> {
                    if (JsonReads.items(h, "command").isEmpty()) {
                        errs.required(Errors.child(hp, "command"), "");
                    }
                }
                case "httpGet" -> httpGet(h, hp, errs);
                case "tcpSocket" -> ContainerValidation.portNumOrName(h.get("port"), Errors.child(hp, "port"), errs);
                case "grpc" -> {
                    long port = JsonReads.numOr(h, 0, "port");
                    errs.invalidEach(Errors.child(hp, "port"), port, NameRules.portNum(port));
                }
                default -> sleep(h, grace, hp, opts, errs);
            }
        }
        if (count == 0) {
            errs.required(path, "must specify a handler type");
        }
    }

    private static void httpGet(JsonNode h, String path, Errors errs) {
        if (JsonReads.str(h, "path").isEmpty()) {
            errs.required(Errors.child(path, "path"), "");
        }
        ContainerValidation.portNumOrName(h.get("port"), Errors.child(path, "port"), errs);
        String scheme = JsonReads.str(h, "scheme");
        if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errs.notSupported(Errors.child(path, "scheme"), scheme, List.of("HTTP", "HTTPS"));
        }
        for (JsonNode header : JsonReads.items(h, "httpHeaders")) {
            String name = JsonReads.str(header, "name");
            if (!HEADER.matcher(name).matches()) {
                // upstream reports every header on the list path, not the entry
                errs.invalid(
                        Errors.child(path, "httpHeaders"),
                        name,
                        NameRules.regexError(
                                "a valid HTTP header must consist of alphanumeric characters or '-'",
                                HEADER_FMT,
                                "X-Header-Name"));
            }
        }
    }

    /** validateSleepAction; a nil grace period is another field's error and skips the check. */
    private static void sleep(JsonNode sleep, Long grace, String path, PodOptions opts, Errors errs) {
        if (grace == null) {
            return;
        }
        long seconds = JsonReads.numOr(sleep, 0, "seconds");
        if (opts.allowSleepZero()) {
            if (seconds < 0 || seconds > grace) {
                errs.invalid(
                        path,
                        seconds,
                        "must be non-negative and less than terminationGracePeriodSeconds (" + grace + ")");
            }
        } else if (seconds <= 0 || seconds > grace) {
            errs.invalid(
                    path,
                    seconds,
                    "must be greater than 0 and less than terminationGracePeriodSeconds (" + grace
                            + "). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.");
        }
    }
}
