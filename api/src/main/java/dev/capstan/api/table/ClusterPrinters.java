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

/** RBAC, coordination.k8s.io Lease and scheduling.k8s.io PriorityClass. */
public final class ClusterPrinters {

    private ClusterPrinters() {}

    /** The table of RoleBindings. */
    public static final KindTable ROLE_BINDING =
            new KindTable(bindingColumns(ROLE_BINDING_ROLE_REF, "roleBinding"), ClusterPrinters::binding);

    /** The table of ClusterRoleBindings. */
    public static final KindTable CLUSTER_ROLE_BINDING = new KindTable(
            bindingColumns(CLUSTER_ROLE_BINDING_ROLE_REF, "clusterRoleBinding"), ClusterPrinters::binding);

    // Roles have no upstream printer: the API server falls back to its default name / created-at table.
    public static final KindTable ROLE = new KindTable(DefaultTable.TABLE.columns(), DefaultTable.TABLE.printer());

    /** The table of ClusterRoles. */
    public static final KindTable CLUSTER_ROLE =
            new KindTable(DefaultTable.TABLE.columns(), DefaultTable.TABLE.printer());

    /** The table of Leases. */
    public static final KindTable LEASE = new KindTable(
            List.of(Columns.name(), Columns.string("Holder", LEASE_SPEC_HOLDER_IDENTITY), Columns.age()),
            (o, now) -> List.of(Nodes.name(o), JsonReads.str(o, "spec", "holderIdentity"), Nodes.age(o, now)));

    /** The table of PriorityClasses. */
    public static final KindTable PRIORITY_CLASS = new KindTable(
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
