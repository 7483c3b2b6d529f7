package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * networking.k8s.io/v1 Ingress (pkg/apis/networking/validation). In v1 pathType has no default and is required.
 *
 * <p>Strategy: {@link #prepareForCreate} clears the status and sets generation 1; {@link #prepareForUpdate} keeps the
 * stored status and bumps the generation when the spec changed; a status write keeps the stored spec
 * ({@link #prepareForStatusUpdate}).
 */
public final class IngressValidation {
    private IngressValidation() {}

    private static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
    private static final List<String> INVALID_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
    private static final List<String> INVALID_SUFFIXES = List.of("/..", "/.");
    private static final String WILDCARD_FMT = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);

    /** Options upstream derives from the stored object so that old invalid data can still be updated. */
    private record Options(boolean allowInvalidSecretName, boolean allowInvalidWildcardHostRule) {}

    /** ValidateIngressCreate, including the class annotation having to agree with ingressClassName. */
    public static List<Cause> validateIngress(ObjectNode obj) {
        Errors errs = new Errors();
        ingress(obj, new Options(false, false), errs);
        String annotation = JsonReads.str(JsonReads.obj(GroupMeta.meta(obj), "annotations"), CLASS_ANNOTATION);
        boolean annotated = JsonReads.has(JsonReads.obj(GroupMeta.meta(obj), "annotations"), CLASS_ANNOTATION);
        JsonNode spec = JsonReads.obj(obj, "spec");
        if (annotated
                && JsonReads.has(spec, "ingressClassName")
                && !annotation.equals(JsonReads.str(spec, "ingressClassName"))) {
            errs.invalid(
                    "annotations." + CLASS_ANNOTATION,
                    annotation,
                    "must match `ingressClassName` when both are specified");
        }
        return errs.list();
    }

    /** ValidateIngressUpdate: metadata update checks, then the create rules with options from the stored Ingress. */
    public static List<Cause> validateIngressUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        ingress(obj, new Options(hasInvalidSecretName(old), hasInvalidWildcardRule(old)), errs);
        return errs.list();
    }

    /** ValidateIngressStatusUpdate: the load balancer entries' IPs and hostnames. */
    public static List<Cause> validateIngressStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        List<JsonNode> entries = JsonReads.items(JsonReads.obj(obj, "status", "loadBalancer"), "ingress");
        for (int i = 0; i < entries.size(); i++) {
            String path = Errors.index("status.loadBalancer.ingress", i);
            String ip = JsonReads.str(entries.get(i), "ip");
            if (!ip.isEmpty() && Net.parseIp(ip) == null) {
                errs.invalid(path + ".ip", ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            String hostname = JsonReads.str(entries.get(i), "hostname");
            if (!hostname.isEmpty()) {
                errs.invalidEach(path + ".hostname", hostname, NameRules.dns1123Subdomain(hostname));
                if (Net.parseIp(hostname) != null) {
                    errs.invalid(path + ".hostname", hostname, "must be a DNS name, not an IP address");
                }
            }
        }
        return errs.list();
    }

    private static void ingress(JsonNode ing, Options opts, Errors errs) {
        GroupMeta.create(GroupMeta.meta(ing), true, GroupMeta.DNS_SUBDOMAIN, errs);
        JsonNode spec = JsonReads.obj(ing, "spec");
        List<JsonNode> rules = JsonReads.items(spec, "rules");
        if (rules.isEmpty() && !JsonReads.has(spec, "defaultBackend")) {
            String shown =
                    JsonReads.has(spec, "rules") ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)";
            errs.invalid("spec", new GoFormat.Literal(shown), "either `defaultBackend` or `rules` must be specified");
        }
        if (JsonReads.has(spec, "defaultBackend")) {
            backend(JsonReads.obj(spec, "defaultBackend"), "spec.defaultBackend", errs);
        }
        for (int i = 0; i < rules.size(); i++) {
            rule(rules.get(i), Errors.index("spec.rules", i), opts, errs);
        }
        List<JsonNode> tls = JsonReads.items(spec, "tls");
        for (int i = 0; i < tls.size(); i++) {
            String tp = Errors.index("spec.tls", i);
            List<String> hosts = JsonReads.strings(tls.get(i), "hosts");
            for (int j = 0; j < hosts.size(); j++) {
                String host = hosts.get(j);
                String hp = Errors.index(tp + ".hosts", j);
                errs.invalidEach(
                        hp, host, host.contains("*") ? wildcardSubdomain(host) : NameRules.dns1123Subdomain(host));
            }
            if (!opts.allowInvalidSecretName()) {
                String secret = JsonReads.str(tls.get(i), "secretName");
                errs.invalidEach(tp + ".secretName", secret, secretName(secret));
            }
        }
        if (JsonReads.has(spec, "ingressClassName")) {
            String cls = JsonReads.str(spec, "ingressClassName");
            errs.invalidEach("spec.ingressClassName", cls, NameRules.NameRule.DNS_SUBDOMAIN.check(cls, false));
        }
    }

    private static void rule(JsonNode rule, String path, Options opts, Errors errs) {
        String host = JsonReads.str(rule, "host");
        boolean wildcard = false;
        if (!host.isEmpty()) {
            if (Net.parseIp(host) != null) {
                errs.invalid(path + ".host", host, "must be a DNS name, not an IP address");
            }
            if (host.contains("*")) {
                errs.invalidEach(path + ".host", host, wildcardSubdomain(host));
                wildcard = true;
            } else {
                errs.invalidEach(path + ".host", host, NameRules.dns1123Subdomain(host));
            }
        }
        if (!wildcard || !opts.allowInvalidWildcardHostRule()) {
            ruleValue(rule, path, errs);
        }
    }

    private static void ruleValue(JsonNode rule, String path, Errors errs) {
        JsonNode http = JsonReads.obj(rule, "http");
        if (http == null) {
            return;
        }
        List<JsonNode> paths = JsonReads.items(http, "paths");
        if (paths.isEmpty()) {
            errs.required(path + ".http.paths", "");
        }
        for (int i = 0; i < paths.size(); i++) {
            httpPath(paths.get(i), Errors.index(path + ".http.paths", i), errs);
        }
    }

    private static void httpPath(JsonNode p, String path, Errors errs) {
        if (!JsonReads.has(p, "pathType")) {
            errs.required(path + ".pathType", "pathType must be specified");
            return;
        }
        String type = JsonReads.str(p, "pathType");
        String value = JsonReads.str(p, "path");
        switch (type) {
            case "Exact", "Prefix" -> {
                if (!value.startsWith("/")) {
                    errs.invalid(path + ".path", value, "must be an absolute path");
                }
                if (!value.isEmpty()) {
                    for (String seq : INVALID_SEQUENCES) {
                        if (value.contains(seq)) {
                            errs.invalid(path + ".path", value, "must not contain '" + seq + "'");
                        }
                    }
                    for (String suffix : INVALID_SUFFIXES) {
                        if (value.endsWith(suffix)) {
                            errs.invalid(path + ".path", value, "cannot end with '" + suffix + "'");
                        }
                    }
                }
            }
            case "ImplementationSpecific" -> {
                if (!value.isEmpty() && !value.startsWith("/")) {
                    errs.invalid(path + ".path", value, "must be an absolute path");
                }
            }
            default -> errs.notSupported(path + ".pathType", type, PATH_TYPES);
        }
        backend(JsonReads.obj(p, "backend"), path + ".backend", errs);
    }

    /** validateIngressBackend: exactly one of a service (with a port name or number) and a resource. */
    private static void backend(JsonNode backend, String path, Errors errs) {
        boolean resource = JsonReads.has(backend, "resource");
        boolean service = JsonReads.has(backend, "service");
        if (resource && service) {
            errs.invalid(path, "", "cannot set both resource and service backends");
        } else if (resource) {
            typedReference(JsonReads.obj(backend, "resource"), path + ".resource", errs);
        } else if (service) {
            JsonNode svc = JsonReads.obj(backend, "service");
            String name = JsonReads.str(svc, "name");
            if (name.isEmpty()) {
                errs.required(path + ".service.name", "");
            } else {
                errs.invalidEach(path + ".service.name", name, NameRules.dns1035Label(name));
            }
            JsonNode port = JsonReads.obj(svc, "port");
            String portName = JsonReads.str(port, "name");
            long number = JsonReads.numOr(port, 0, "number");
            if (!portName.isEmpty() && number != 0) {
                errs.invalid(path, "", "cannot set both port name & port number");
            } else if (!portName.isEmpty()) {
                errs.invalidEach(path + ".service.port.name", portName, NameRules.portName(portName));
            } else if (number != 0) {
                errs.invalidEach(path + ".service.port.number", number, NameRules.portNum(number));
            } else {
                errs.required(path, "port name or number is required");
            }
        } else {
            errs.invalid(path, "", "resource or service backend is required");
        }
    }

    private static void typedReference(JsonNode ref, String path, Errors errs) {
        if (JsonReads.has(ref, "apiGroup")) {
            String group = JsonReads.str(ref, "apiGroup");
            errs.invalidEach(path + ".apiGroup", group, NameRules.dns1123Subdomain(group));
        }
        for (String f : List.of("kind", "name")) {
            String v = JsonReads.str(ref, f);
            if (v.isEmpty()) {
                errs.required(path + "." + f, f + " is required");
            } else {
                errs.invalidEach(path + "." + f, v, NameRules.pathSegmentName(v, false));
            }
        }
    }

    /** IsWildcardDNS1123Subdomain. */
    static List<String> wildcardSubdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (NameRules.len(value) > 253) {
            errs.add(NameRules.maxLenError(253));
        }
        if (!WILDCARD.matcher(value).matches()) {
            errs.add(NameRules.regexError(
                    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must"
                            + " consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric"
                            + " character",
                    WILDCARD_FMT,
                    "*.example.com"));
        }
        return errs;
    }

    private static List<String> secretName(String name) {
        return name.isEmpty() ? List.of() : NameRules.NameRule.DNS_SUBDOMAIN.check(name, false);
    }

    private static boolean hasInvalidSecretName(JsonNode old) {
        for (JsonNode tls : JsonReads.items(JsonReads.obj(old, "spec"), "tls")) {
            if (!secretName(JsonReads.str(tls, "secretName")).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasInvalidWildcardRule(JsonNode old) {
        for (JsonNode rule : JsonReads.items(JsonReads.obj(old, "spec"), "rules")) {
            if (JsonReads.str(rule, "host").contains("*")) {
                Errors e = new Errors();
                ruleValue(rule, "", e);
                if (!e.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** PrepareForCreate: no status, generation 1. */
    public static void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
        KubeJson.child(obj, "metadata").put("generation", 1);
    }

    /** PrepareForUpdate: the stored status stays; a spec change bumps the generation. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        AppsValidation.copy(obj, old, "status");
        NetworkPolicyValidation.bumpGenerationOnSpecChange(obj, old);
    }

    /** The status strategy's PrepareForUpdate: the stored spec stays. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        AppsValidation.copy(obj, old, "spec");
    }
}
