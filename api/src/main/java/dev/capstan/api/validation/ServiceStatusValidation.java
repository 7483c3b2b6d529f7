package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * Service status: core validation's ValidateServiceStatusUpdate (the load balancer status), as {@code services/status}
 * runs it in 1.32 with LoadBalancerIPMode GA and AllowServiceLBStatusOnNonLB locked off. The create and update rules
 * are in {@link ServiceValidation}.
 *
 * <p>The status strategy (pkg/registry/core/service) keeps the stored spec ({@link #prepareForStatusUpdate}). The v1
 * defaults give a LoadBalancer's ingress with an IP the ipMode VIP ({@link #defaultServiceStatus}), so that rule's
 * Required cause only shows for services of another type.
 */
public final class ServiceStatusValidation {
    private ServiceStatusValidation() {}

    private static final List<String> IP_MODES = List.of("Proxy", "VIP");

    /** ValidateServiceStatusUpdate. */
    public static List<Cause> validateServiceStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        String type = JsonReads.str(JsonReads.obj(obj, "spec"), "type");
        String path = "status.loadBalancer.ingress";
        List<JsonNode> ingress = JsonReads.items(JsonReads.obj(obj, "status", "loadBalancer"), "ingress");
        if (!type.equals("LoadBalancer") && !ingress.isEmpty()) {
            errs.forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'");
            return errs.list();
        }
        for (int i = 0; i < ingress.size(); i++) {
            JsonNode in = ingress.get(i);
            String ip = Errors.index(path, i);
            String address = JsonReads.str(in, "ip");
            if (!address.isEmpty() && Net.parseIp(address) == null) {
                errs.invalid(
                        Errors.child(ip, "ip"),
                        address,
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            if (!JsonReads.has(in, "ipMode")) {
                if (!address.isEmpty()) {
                    errs.required(Errors.child(ip, "ipMode"), "must be specified when `ip` is set");
                }
            } else if (address.isEmpty()) {
                errs.forbidden(Errors.child(ip, "ipMode"), "may not be specified when `ip` is not set");
            } else if (!IP_MODES.contains(JsonReads.str(in, "ipMode"))) {
                errs.notSupported(Errors.child(ip, "ipMode"), JsonReads.str(in, "ipMode"), IP_MODES);
            }
            String hostname = JsonReads.str(in, "hostname");
            if (!hostname.isEmpty()) {
                errs.invalidEach(Errors.child(ip, "hostname"), hostname, NameRules.dns1123Subdomain(hostname));
                if (Net.parseIp(hostname) != null) {
                    errs.invalid(Errors.child(ip, "hostname"), hostname, "must be a DNS name, not an IP address");
                }
            }
        }
        return errs.list();
    }

    /** SetDefaults_Service's status part: a LoadBalancer's ingress with an IP and no ipMode gets VIP. */
    public static void defaultServiceStatus(ObjectNode obj) {
        if (!JsonReads.str(JsonReads.obj(obj, "spec"), "type").equals("LoadBalancer")) {
            return;
        }
        for (JsonNode in : JsonReads.items(JsonReads.obj(obj, "status", "loadBalancer"), "ingress")) {
            if (!JsonReads.str(in, "ip").isEmpty() && !JsonReads.has(in, "ipMode")) {
                ((ObjectNode) in).put("ipMode", "VIP");
            }
        }
    }

    /** The status strategy's PrepareForUpdate: the stored spec is kept. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        if (JsonReads.has(old, "spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        } else {
            obj.remove("spec");
        }
    }
}
