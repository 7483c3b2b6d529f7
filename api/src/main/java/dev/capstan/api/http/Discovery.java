package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents: legacy per-group-version lists and aggregated discovery (apidiscovery.k8s.io), of the
 * registry's resources and then of the groups served without storage.
 */
final class Discovery {
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    private final ResourceRegistry registry;
    private final List<ServedGroup> served;

    Discovery(ResourceRegistry registry, List<ServedGroup> served) {
        this.registry = registry;
        this.served = List.copyOf(served);
    }

    private ServedGroup served(String group) {
        return served.stream().filter(g -> g.group().equals(group)).findFirst().orElse(null);
    }

    ObjectNode version() {
        return Json.object()
                .put("major", "1")
                .put("minor", "32")
                .put("gitVersion", "v1.32.0-capstan")
                .put("gitCommit", "capstan")
                .put("gitTreeState", "clean")
                .put("buildDate", "2026-11-21T00:00:00Z")
                .put("goVersion", "java" + Runtime.version().feature())
                .put("compiler", "javac")
                .put("platform", "linux/amd64");
    }

    ObjectNode apiVersions() {
        ObjectNode doc = Json.object().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs");
        return doc;
    }

    ObjectNode apiGroupList() {
        ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        for (Map.Entry<String, List<String>> group : registry.groupVersions().entrySet()) {
            if (!group.getKey().isEmpty()) {
                groups.add(apiGroup(group.getKey(), group.getValue()));
            }
        }
        for (ServedGroup group : served) {
            groups.add(apiGroup(group.group(), List.of(group.version())));
        }
        return doc;
    }

    ObjectNode apiGroup(String group) {
        List<String> versions = registry.groupVersions().get(group);
        if (versions == null && served(group) != null) {
            versions = List.of(served(group).version());
        }
        return versions == null
                ? null
                : apiGroup(group, versions).put("kind", "APIGroup").put("apiVersion", "v1");
    }

    private static ObjectNode apiGroup(String name, List<String> versions) {
        ObjectNode group = Json.object().put("name", name);
        ArrayNode list = group.putArray("versions");
        for (String v : versions) {
            list.addObject().put("groupVersion", name + "/" + v).put("version", v);
        }
        group.putObject("preferredVersion")
                .put("groupVersion", name + "/" + versions.getFirst())
                .put("version", versions.getFirst());
        return group;
    }

    /** The APIResourceList of one group-version, or null if it is not served. */
    ObjectNode resourceList(String group, String version) {
        List<ResourceType> types = registry.inGroupVersion(group, version);
        ServedGroup other = served(group);
        if (types.isEmpty() && other != null && other.version().equals(version)) {
            return servedResourceList(other);
        }
        if (types.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1");
        doc.put("groupVersion", types.getFirst().groupVersion());
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = resources
                    .addObject()
                    .put("name", t.plural())
                    .put("singularName", t.singular())
                    .put("namespaced", t.namespaced())
                    .put("kind", t.kind());
            strings(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                strings(r.putArray("categories"), t.categories());
            }
            for (String sub : t.subresources().stream().sorted().toList()) {
                ObjectNode s = resources
                        .addObject()
                        .put("name", t.plural() + "/" + sub)
                        .put("singularName", "")
                        .put("namespaced", t.namespaced());
                String[] gvk = subresourceKind(t, sub);
                // Legacy discovery names the group and version only where they differ from the parent's.
                if (!gvk[0].equals(t.group()) || !gvk[1].equals(t.version())) {
                    s.put("group", gvk[0]).put("version", gvk[1]);
                }
                s.put("kind", gvk[2]);
                strings(s.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return doc;
    }

    private static ObjectNode servedResourceList(ServedGroup group) {
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1");
        doc.put("groupVersion", group.groupVersion());
        ArrayNode resources = doc.putArray("resources");
        for (ServedGroup.Resource r : group.resources()) {
            ObjectNode o = resources
                    .addObject()
                    .put("name", r.plural())
                    .put("singularName", r.singular())
                    .put("namespaced", r.namespaced())
                    .put("kind", r.kind());
            strings(o.putArray("verbs"), r.verbs());
        }
        return doc;
    }

    /** The group, version and kind a subresource answers with: Scale, Binding, or the resource's own kind. */
    private static String[] subresourceKind(ResourceType t, String sub) {
        return switch (sub) {
            case "scale" -> new String[] {"autoscaling", "v1", "Scale"};
            case "binding" -> new String[] {"", "v1", "Binding"};
            case "eviction" -> new String[] {"policy", "v1", "Eviction"};
            case "exec" -> new String[] {"", "v1", "PodExecOptions"};
            case "attach" -> new String[] {"", "v1", "PodAttachOptions"};
            case "portforward" -> new String[] {"", "v1", "PodPortForwardOptions"};
            default -> new String[] {t.group(), t.version(), t.kind()};
        };
    }

    private static List<String> subresourceVerbs(String sub) {
        return switch (sub) {
            case "binding", "eviction" -> List.of("create");
            case "log" -> List.of("get");
            case "exec", "attach", "portforward" -> List.of("create", "get");
            default -> SUBRESOURCE_VERBS;
        };
    }

    /** Aggregated discovery for the core group ({@code /api}) or all named groups ({@code /apis}). */
    ObjectNode aggregated(boolean core, String apiVersion) {
        ObjectNode doc = Json.object().put("kind", "APIGroupDiscoveryList").put("apiVersion", apiVersion);
        doc.putObject("metadata");
        ArrayNode items = doc.putArray("items");
        for (Map.Entry<String, List<String>> group : registry.groupVersions().entrySet()) {
            if (group.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", group.getKey());
            ArrayNode versions = item.putArray("versions");
            for (String version : group.getValue()) {
                ObjectNode v = versions.addObject().put("version", version).put("freshness", "Current");
                ArrayNode resources = v.putArray("resources");
                for (ResourceType t : registry.inGroupVersion(group.getKey(), version)) {
                    resources.add(aggregatedResource(t));
                }
            }
        }
        if (!core) {
            for (ServedGroup group : served) {
                ObjectNode item = items.addObject();
                item.putObject("metadata").put("name", group.group());
                ObjectNode v = item.putArray("versions")
                        .addObject()
                        .put("version", group.version())
                        .put("freshness", "Current");
                ArrayNode resources = v.putArray("resources");
                for (ServedGroup.Resource r : group.resources()) {
                    ObjectNode o = resources.addObject().put("resource", r.plural());
                    o.putObject("responseKind")
                            .put("group", group.group())
                            .put("version", group.version())
                            .put("kind", r.kind());
                    o.put("scope", r.namespaced() ? "Namespaced" : "Cluster").put("singularResource", r.singular());
                    strings(o.putArray("verbs"), r.verbs());
                }
            }
        }
        return doc;
    }

    private static ObjectNode aggregatedResource(ResourceType t) {
        ObjectNode r = Json.object().put("resource", t.plural());
        r.putObject("responseKind")
                .put("group", t.group())
                .put("version", t.version())
                .put("kind", t.kind());
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster").put("singularResource", t.singular());
        strings(r.putArray("verbs"), t.verbs());
        if (!t.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), t.shortNames());
        }
        if (!t.categories().isEmpty()) {
            strings(r.putArray("categories"), t.categories());
        }
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String sub : t.subresources().stream().sorted().toList()) {
                ObjectNode s = subs.addObject().put("subresource", sub);
                String[] gvk = subresourceKind(t, sub);
                s.putObject("responseKind")
                        .put("group", gvk[0])
                        .put("version", gvk[1])
                        .put("kind", gvk[2]);
                strings(s.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return r;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
