package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.CLUSTER_ROLE_BINDING_ROLE_REF;
import static dev.capstan.api.table.Descriptions.LEASE_SPEC_HOLDER_IDENTITY;
import static dev.capstan.api.table.Descriptions.PRIORITY_CLASS_GLOBAL_DEFAULT;
import static dev.capstan.api.table.Descriptions.PRIORITY_CLASS_PREEMPTION_POLICY;
import static dev.capstan.api.table.Descriptions.PRIORITY_CLASS_VALUE;
import static dev.capstan.api.table.Descriptions.ROLE_BINDING_ROLE_REF;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RBAC, coordination.k8s.io Lease and scheduling.k8s.io PriorityClass. */
final class ClusterPrinters {
    private static final String RBAC = "rbac.authorization.k8s.io";

    private ClusterPrinters() {}

    static void register(Map<String, KindTable> tables) {
        KindTable.put(
                tables,
                RBAC,
                "RoleBinding",
                bindingColumns(ROLE_BINDING_ROLE_REF, "roleBinding"),
                ClusterPrinters::binding);
        KindTable.put(
                tables,
                RBAC,
                "ClusterRoleBinding",
                bindingColumns(CLUSTER_ROLE_BINDING_ROLE_REF, "clusterRoleBinding"),
                ClusterPrinters::binding);
        // Roles have no upstream printer: the API server falls back to its default name / created-at table.
        KindTable.put(tables, RBAC, "Role", DefaultTable.TABLE.columns(), DefaultTable.TABLE.printer());
        KindTable.put(tables, RBAC, "ClusterRole", DefaultTable.TABLE.columns(), DefaultTable.TABLE.printer());
        KindTable.put(
                tables,
                "coordination.k8s.io",
                "Lease",
                List.of(Columns.name(), Columns.string("Holder", LEASE_SPEC_HOLDER_IDENTITY), Columns.age()),
                (o, now) -> List.of(Nodes.name(o), JsonReads.str(o, "spec", "holderIdentity"), Nodes.age(o, now)));
        KindTable.put(
                tables,
                "scheduling.k8s.io",
                "PriorityClass",
                List.of(
                        Columns.name(),
                        Columns.integer("Value", PRIORITY_CLASS_VALUE),
                        Columns.bool("Global-Default", PRIORITY_CLASS_GLOBAL_DEFAULT),
                        Columns.age(),
                        // Upstream only fills this column for wide output but leaves its priority at 0.
                        Columns.string("PreemptionPolicy", PRIORITY_CLASS_PREEMPTION_POLICY)),
                (o, now) -> List.of(
                        Nodes.name(o),
                        JsonReads.numOr(o, 0, "value"),
                        JsonReads.bool(o, "globalDefault"),
                        Nodes.age(o, now),
                        JsonReads.strOr(o, "PreemptLowerPriority", "preemptionPolicy")));
    }

    private static List<ColumnDefinition> bindingColumns(String roleRefDescription, String noun) {
        return List.of(
                Columns.name(),
                Columns.string("Role", roleRefDescription),
                Columns.age(),
                Columns.wide("Users", "Users in the " + noun),
                Columns.wide("Groups", "Groups in the " + noun),
                Columns.wide("ServiceAccounts", "ServiceAccounts in the " + noun));
    }

    /** Role "Kind/name", then users, groups and "namespace/name" service accounts joined by ", ". */
    static List<Object> binding(JsonNode binding, Instant now) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> serviceAccounts = new ArrayList<>();
        for (JsonNode subject : JsonReads.items(binding, "subjects")) {
            String name = JsonReads.str(subject, "name");
            switch (JsonReads.str(subject, "kind")) {
                case "ServiceAccount" -> serviceAccounts.add(JsonReads.str(subject, "namespace") + "/" + name);
                case "User" -> users.add(name);
                case "Group" -> groups.add(name);
                default -> {
                    // Upstream collects other kinds separately and does not print them.
                }
            }
        }
        return List.of(
                Nodes.name(binding),
                JsonReads.str(binding, "roleRef", "kind") + "/" + JsonReads.str(binding, "roleRef", "name"),
                Nodes.age(binding, now),
                String.join(", ", users),
                String.join(", ", groups),
                String.join(", ", serviceAccounts));
    }
}
