package dev.capstan.api.openapi;

import java.util.Set;

/** Upstream component names (e.g. {@code io.k8s.api.apps.v1.Deployment}) for fabric8 model classes. */
final class SchemaNames {
    static final String REF_PREFIX = "#/components/schemas/";
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    static final String TIME = META + "Time";
    static final String MICRO_TIME = META + "MicroTime";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

    private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";

    /**
     * fabric8 keeps these apimachinery types in its core package; upstream names them under meta/v1.
     * (core/v1 also declares a legacy Preconditions, but DeleteOptions refers to the meta one.)
     */
    private static final Set<String> META_TYPES = Set.of(
            "APIGroup",
            "APIGroupList",
            "APIResource",
            "APIResourceList",
            "APIVersions",
            "Condition",
            "CreateOptions",
            "DeleteOptions",
            "FieldSelectorRequirement",
            "FieldsV1",
            "GetOptions",
            "GroupVersionForDiscovery",
            "LabelSelector",
            "LabelSelectorRequirement",
            "ListMeta",
            "ListOptions",
            "ManagedFieldsEntry",
            "MicroTime",
            "ObjectMeta",
            "OwnerReference",
            "Patch",
            "PatchOptions",
            "Preconditions",
            "RootPaths",
            "ServerAddressByClientCIDR",
            "Status",
            "StatusCause",
            "StatusDetails",
            "UpdateOptions",
            "WatchEvent");

    private SchemaNames() {}

    /** The component name of a fabric8 model class, or null when the class is not one. */
    static String of(Class<?> type) {
        String pkg = type.getPackageName();
        if (!pkg.equals(FABRIC8) && !pkg.startsWith(FABRIC8 + ".")) {
            return null;
        }
        String simple = type.getSimpleName();
        if (pkg.equals(FABRIC8)) {
            return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
        }
        // fabric8 packages mirror upstream's, except that a few v1-only groups drop the version
        String sub = pkg.substring(FABRIC8.length() + 1);
        if (!sub.matches(".*\\.v\\d+((alpha|beta)\\d+)?")) {
            sub = sub + ".v1";
        }
        return "io.k8s.api." + sub + "." + simple;
    }

    /** Expands the short names of the fact tables: "core.v1.PodSpec", "meta.v1.ObjectMeta". */
    static String expand(String shortName) {
        return shortName.startsWith("meta.v1.")
                ? META + shortName.substring("meta.v1.".length())
                : "io.k8s.api." + shortName;
    }

    static String ref(String name) {
        return REF_PREFIX + name;
    }
}
