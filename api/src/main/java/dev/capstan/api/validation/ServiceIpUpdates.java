package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * validateUpgradeDowngradeClusterIPs and validateUpgradeDowngradeIPFamilies: a Service may gain or release its
 * secondary cluster IP and IP family, never change the primary ones, unless it becomes or stops being an
 * ExternalName service. Upstream prints the whole new list as the bad value, even where it reports the families
 * with the cluster IPs; those values are kept.
 */
final class ServiceIpUpdates {
    private ServiceIpUpdates() {}

    private static final String SINGLE_STACK = "SingleStack";

    private static boolean externalName(JsonNode spec, JsonNode oldSpec) {
        return JsonReads.str(spec, "type").equals("ExternalName")
                || JsonReads.str(oldSpec, "type").equals("ExternalName");
    }

    private static boolean headless(List<String> ips) {
        return ips.size() == 1 && ips.get(0).equals("None");
    }

    private static Object policy(JsonNode spec) {
        return JsonReads.has(spec, "ipFamilyPolicy") ? JsonReads.str(spec, "ipFamilyPolicy") : null;
    }

    static void clusterIPs(JsonNode spec, JsonNode oldSpec, Errors errs) {
        if (externalName(spec, oldSpec)) {
            return;
        }
        List<String> ips = ServiceValidation.clusterIPs(spec);
        List<String> old = ServiceValidation.clusterIPs(oldSpec);
        if (headless(ips) && headless(old)) {
            return;
        }
        GoFormat.Literal value = GoFormat.stringSlice(ips.isEmpty() ? null : ips);
        if (old.size() == ips.size()) {
            for (int i = 0; i < old.size(); i++) {
                if (!old.get(i).equals(ips.get(i))) {
                    errs.invalid(Errors.index("spec.clusterIPs", i), value, "may not change once set");
                }
            }
        } else if (old.size() > ips.size()) {
            if (ips.isEmpty()) {
                errs.invalid("spec.clusterIPs[0]", value, "primary clusterIP can not be unset");
            }
            if (!old.isEmpty() && !ips.isEmpty() && !ips.get(0).equals(old.get(0))) {
                errs.invalid("spec.clusterIPs[0]", value, "may not change once set");
            }
            if (ips.size() == 1 && !SINGLE_STACK.equals(policy(spec))) {
                errs.invalid(
                        "spec.ipFamilyPolicy",
                        policy(spec),
                        "must be set to 'SingleStack' when releasing the secondary clusterIP");
            }
        } else if (!old.isEmpty() && !ips.get(0).equals(old.get(0))) {
            errs.invalid("spec.clusterIPs[0]", value, "may not change once set");
        }
    }

    static void ipFamilies(JsonNode spec, JsonNode oldSpec, Errors errs) {
        if (externalName(spec, oldSpec)) {
            return;
        }
        boolean isHeadless = headless(ServiceValidation.clusterIPs(spec));
        if (isHeadless != headless(ServiceValidation.clusterIPs(oldSpec)) || isHeadless) {
            return;
        }
        List<String> families = JsonReads.strings(spec, "ipFamilies");
        List<String> old = JsonReads.strings(oldSpec, "ipFamilies");
        GoFormat.Literal familiesValue = ipFamilies(families);
        List<String> ips = ServiceValidation.clusterIPs(spec);
        GoFormat.Literal ipsValue = GoFormat.stringSlice(ips.isEmpty() ? null : ips);
        if (old.size() == families.size()) {
            for (int i = 0; i < old.size(); i++) {
                if (!old.get(i).equals(families.get(i))) {
                    // upstream reports every changed family at index 0
                    errs.invalid("spec.ipFamilies[0]", familiesValue, "may not change once set");
                }
            }
        } else if (old.size() > families.size()) {
            if (ips.isEmpty()) {
                errs.invalid("spec.ipFamilies[0]", familiesValue, "primary ipFamily can not be unset");
            }
            if (!families.isEmpty() && !families.get(0).equals(old.get(0))) {
                errs.invalid("spec.ipFamilies[0]", ipsValue, "may not change once set");
            }
            if (families.size() == 1 && !SINGLE_STACK.equals(policy(spec))) {
                errs.invalid(
                        "spec.ipFamilyPolicy",
                        policy(spec),
                        "must be set to 'SingleStack' when releasing the secondary ipFamily");
            }
        } else if (!old.isEmpty() && !families.isEmpty() && !families.get(0).equals(old.get(0))) {
            errs.invalid("spec.ipFamilies[0]", ipsValue, "may not change once set");
        }
    }

    /** A []core.IPFamily in %#v form. */
    private static GoFormat.Literal ipFamilies(List<String> families) {
        if (families.isEmpty()) {
            return new GoFormat.Literal("[]core.IPFamily(nil)");
        }
        return new GoFormat.Literal(
                String.join(", ", families.stream().map(GoFormat::quote).toList())
                        .transform(s -> "[]core.IPFamily{" + s + "}"));
    }
}
