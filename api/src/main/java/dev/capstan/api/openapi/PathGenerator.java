package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@code paths} of one group-version document, with upstream's operation ids, actions and parameters.
 * kubectl relies on two details: it enables server-side field validation only when the PATCH operations of a kind
 * carry {@code x-kubernetes-group-version-kind} and a {@code fieldValidation} query parameter, and it uses these
 * schemas for client-side apply only when those operations accept the strategic merge patch content type.
 */
final class PathGenerator {
    private static final List<String> PATCH_TYPES = List.of(
            "application/apply-patch+yaml",
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json");
    private static final List<String> RESPONSE_TYPES = List.of("application/json", "application/yaml");
    private static final List<String> LIST_TYPES =
            List.of("application/json", "application/json;stream=watch", "application/yaml");
    private static final String STATUS = SchemaNames.META + "Status";
    private static final String DELETE_OPTIONS = SchemaNames.META + "DeleteOptions";
    private static final String PATCH = SchemaNames.META + "Patch";

    private final String group;
    private final String version;
    private final String prefix;
    private final String operationGroup;
    private final String tag;

    PathGenerator(String group, String version) {
        this.group = group;
        this.version = version;
        this.prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        String camel = camelGroup(group);
        this.operationGroup = camel + capitalize(version);
        this.tag = Character.toLowerCase(camel.charAt(0)) + camel.substring(1) + "_" + version;
    }

    /** The names of the schemas one resource's operations refer to. */
    record Schemas(String kind, String list, String scale, String binding, String eviction) {}

    /** The group-version root, which serves the APIResourceList. */
    void addRoot(ObjectNode paths, String resourceList) {
        ObjectNode item = paths.putObject(prefix + "/");
        ObjectNode get = operation("get" + operationGroup + "APIResources", null, null);
        get.set("responses", responses(resourceList, RESPONSE_TYPES, "200"));
        item.set("get", get);
    }

    void addResource(ObjectNode paths, ResourceInfo resource, Schemas schemas) {
        String kind = resource.kind();
        String scope = resource.namespaced() ? "Namespaced" : "";
        String collection = resource.namespaced()
                ? prefix + "/namespaces/{namespace}/" + resource.plural()
                : prefix + "/" + resource.plural();
        ObjectNode gvk = Nodes.gvk(group, version, kind);

        ObjectNode list = paths.putObject(collection);
        list.set("get", list("list" + operationGroup + scope + kind, gvk, schemas.list()));
        list.set("post", write("post", "create" + operationGroup + scope + kind, gvk, schemas.kind(), true));
        if (resource.collectionDelete()) {
            list.set("delete", deleteCollection("delete" + operationGroup + "Collection" + scope + kind, gvk));
        }
        list.set("parameters", pathParameters(resource.namespaced(), false));

        ObjectNode item = paths.putObject(collection + "/{name}");
        item.set("get", read("read" + operationGroup + scope + kind, gvk, schemas.kind()));
        item.set("put", write("put", "replace" + operationGroup + scope + kind, gvk, schemas.kind(), false));
        item.set("patch", patch("patch" + operationGroup + scope + kind, gvk, schemas.kind()));
        item.set("delete", delete("delete" + operationGroup + scope + kind, gvk));
        item.set("parameters", pathParameters(resource.namespaced(), true));

        if (resource.namespaced()) {
            ObjectNode all = paths.putObject(prefix + "/" + resource.plural());
            all.set("get", list("list" + operationGroup + kind + "ForAllNamespaces", gvk, schemas.list()));
            all.set("parameters", pathParameters(false, false));
        }
        for (String subresource : resource.subresources()) {
            String suffix = capitalize(subresource);
            String id = operationGroup + scope + kind + suffix;
            ObjectNode sub = Nodes.object();
            switch (subresource) {
                case "status" -> readWritePatch(sub, id, gvk, schemas.kind());
                case "scale" -> readWritePatch(sub, id, Nodes.gvk("autoscaling", "v1", "Scale"), schemas.scale());
                case "binding" ->
                    sub.set(
                            "post",
                            write("post", "create" + id, Nodes.gvk("", "v1", "Binding"), schemas.binding(), true));
                case "eviction" ->
                    sub.set(
                            "post",
                            write(
                                    "post",
                                    "create" + id,
                                    Nodes.gvk("policy", "v1", "Eviction"),
                                    schemas.eviction(),
                                    true));
                case "finalize" -> sub.set("put", write("put", "replace" + id, gvk, schemas.kind(), false));
                default -> {
                    continue; // e.g. log, exec, proxy: not described here
                }
            }
            sub.set("parameters", pathParameters(resource.namespaced(), true));
            paths.set(collection + "/{name}/" + subresource, sub);
        }
    }

    private void readWritePatch(ObjectNode item, String id, ObjectNode gvk, String schema) {
        item.set("get", read("read" + id, gvk, schema));
        item.set("put", write("put", "replace" + id, gvk, schema, false));
        item.set("patch", patch("patch" + id, gvk, schema));
    }

    private ObjectNode list(String id, ObjectNode gvk, String listSchema) {
        ObjectNode op = operation(id, "list", gvk);
        op.set(
                "parameters",
                query(
                        "allowWatchBookmarks:boolean",
                        "continue",
                        "fieldSelector",
                        "labelSelector",
                        "limit:integer",
                        "resourceVersion",
                        "resourceVersionMatch",
                        "sendInitialEvents:boolean",
                        "timeoutSeconds:integer",
                        "watch:boolean"));
        op.set("responses", responses(listSchema, LIST_TYPES, "200"));
        return op;
    }

    private ObjectNode read(String id, ObjectNode gvk, String schema) {
        ObjectNode op = operation(id, "get", gvk);
        op.set("responses", responses(schema, RESPONSE_TYPES, "200"));
        return op;
    }

    private ObjectNode write(String action, String id, ObjectNode gvk, String schema, boolean create) {
        ObjectNode op = operation(id, action, gvk);
        op.set("parameters", query("dryRun", "fieldManager", "fieldValidation"));
        op.set("requestBody", body(schema, List.of("*/*"), true));
        op.set(
                "responses",
                create
                        ? responses(schema, RESPONSE_TYPES, "200", "201", "202")
                        : responses(schema, RESPONSE_TYPES, "200", "201"));
        return op;
    }

    private ObjectNode patch(String id, ObjectNode gvk, String schema) {
        ObjectNode op = operation(id, "patch", gvk);
        op.set("parameters", query("dryRun", "fieldManager", "fieldValidation", "force:boolean"));
        op.set("requestBody", body(PATCH, PATCH_TYPES, true));
        op.set("responses", responses(schema, RESPONSE_TYPES, "200", "201"));
        return op;
    }

    private ObjectNode delete(String id, ObjectNode gvk) {
        ObjectNode op = operation(id, "delete", gvk);
        op.set(
                "parameters",
                query(
                        "dryRun",
                        "gracePeriodSeconds:integer",
                        "ignoreStoreReadErrorWithClusterBreakingPotential:boolean",
                        "orphanDependents:boolean",
                        "propagationPolicy"));
        op.set("requestBody", body(DELETE_OPTIONS, List.of("*/*"), false));
        op.set("responses", responses(STATUS, RESPONSE_TYPES, "200", "202"));
        return op;
    }

    private ObjectNode deleteCollection(String id, ObjectNode gvk) {
        ObjectNode op = operation(id, "deletecollection", gvk);
        op.set(
                "parameters",
                query(
                        "continue",
                        "dryRun",
                        "fieldSelector",
                        "gracePeriodSeconds:integer",
                        "ignoreStoreReadErrorWithClusterBreakingPotential:boolean",
                        "labelSelector",
                        "limit:integer",
                        "orphanDependents:boolean",
                        "propagationPolicy",
                        "resourceVersion",
                        "resourceVersionMatch",
                        "sendInitialEvents:boolean",
                        "timeoutSeconds:integer"));
        op.set("requestBody", body(DELETE_OPTIONS, List.of("*/*"), false));
        op.set("responses", responses(STATUS, RESPONSE_TYPES, "200"));
        return op;
    }

    private ObjectNode operation(String id, String action, ObjectNode gvk) {
        ObjectNode op = Nodes.object();
        op.put("operationId", id);
        op.set("tags", Nodes.array(tag));
        if (action != null) {
            op.put("x-kubernetes-action", action);
        }
        if (gvk != null) {
            op.set("x-kubernetes-group-version-kind", gvk.deepCopy());
        }
        return op;
    }

    /** Query parameters, each "name" (a string) or "name:type". */
    private static ArrayNode query(String... parameters) {
        ArrayNode result = Nodes.array();
        for (String parameter : parameters) {
            int colon = parameter.indexOf(':');
            String name = colon < 0 ? parameter : parameter.substring(0, colon);
            String type = colon < 0 ? "string" : parameter.substring(colon + 1);
            ObjectNode node = result.addObject().put("in", "query").put("name", name);
            node.putObject("schema").put("type", type);
        }
        return result;
    }

    private static ArrayNode pathParameters(boolean namespaced, boolean named) {
        ArrayNode result = Nodes.array();
        if (named) {
            pathParameter(result, "name");
        }
        if (namespaced) {
            pathParameter(result, "namespace");
        }
        result.addAll(query("pretty"));
        return result;
    }

    private static void pathParameter(ArrayNode parameters, String name) {
        ObjectNode node =
                parameters.addObject().put("in", "path").put("name", name).put("required", true);
        node.putObject("schema").put("type", "string");
    }

    private static ObjectNode body(String schema, List<String> contentTypes, boolean required) {
        ObjectNode body = Nodes.object();
        body.set("content", content(schema, contentTypes));
        if (required) {
            body.put("required", true);
        }
        return body;
    }

    private static ObjectNode responses(String schema, List<String> contentTypes, String... codes) {
        ObjectNode responses = Nodes.object();
        for (String code : codes) {
            ObjectNode response = responses.putObject(code);
            response.set("content", content(schema, contentTypes));
            response.put(
                    "description",
                    switch (code) {
                        case "201" -> "Created";
                        case "202" -> "Accepted";
                        default -> "OK";
                    });
        }
        responses.putObject("401").put("description", "Unauthorized");
        return responses;
    }

    private static ObjectNode content(String schema, List<String> contentTypes) {
        ObjectNode content = Nodes.object();
        for (String type : contentTypes) {
            content.putObject(type).set("schema", Nodes.ref(schema));
        }
        return content;
    }

    /** "" → "Core", "apps" → "Apps", "rbac.authorization.k8s.io" → "RbacAuthorization", as upstream. */
    static String camelGroup(String group) {
        if (group.isEmpty()) {
            return "Core";
        }
        StringBuilder result = new StringBuilder();
        for (String part : group.replaceFirst("\\.k8s\\.io$", "").split("[.-]")) {
            result.append(capitalize(part));
        }
        return result.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
