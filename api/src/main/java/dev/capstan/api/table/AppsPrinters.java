package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.CONTROLLER_REVISION_REVISION;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_SPEC_SELECTOR;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_STATUS_AVAILABLE;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_STATUS_CURRENT;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_STATUS_DESIRED;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_STATUS_READY;
import static dev.capstan.api.table.Descriptions.DAEMON_SET_STATUS_UPDATED;
import static dev.capstan.api.table.Descriptions.DEPLOYMENT_SPEC_SELECTOR;
import static dev.capstan.api.table.Descriptions.DEPLOYMENT_STATUS_AVAILABLE_REPLICAS;
import static dev.capstan.api.table.Descriptions.DEPLOYMENT_STATUS_UPDATED_REPLICAS;
import static dev.capstan.api.table.Descriptions.POD_SPEC_NODE_SELECTOR;
import static dev.capstan.api.table.Descriptions.REPLICA_SET_SPEC_REPLICAS;
import static dev.capstan.api.table.Descriptions.REPLICA_SET_SPEC_SELECTOR;
import static dev.capstan.api.table.Descriptions.REPLICA_SET_STATUS_READY_REPLICAS;
import static dev.capstan.api.table.Descriptions.REPLICA_SET_STATUS_REPLICAS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** apps/v1 printers. An absent spec.replicas prints as 1, the value the API server defaults it to. */
public final class AppsPrinters {
    private static final String READY_DESCRIPTION = "Number of the pod with ready state";

    private AppsPrinters() {}

    /** The table of Deployments. */
    public static final KindTable DEPLOYMENT = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Ready", READY_DESCRIPTION),
                    Columns.string("Up-to-date", DEPLOYMENT_STATUS_UPDATED_REPLICAS),
                    Columns.string("Available", DEPLOYMENT_STATUS_AVAILABLE_REPLICAS),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images(),
                    Columns.wide("Selector", DEPLOYMENT_SPEC_SELECTOR)),
            AppsPrinters::deployment);

    /** The table of ReplicaSets. */
    public static final KindTable REPLICA_SET = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.integer("Desired", REPLICA_SET_SPEC_REPLICAS),
                    Columns.integer("Current", REPLICA_SET_STATUS_REPLICAS),
                    Columns.integer("Ready", REPLICA_SET_STATUS_READY_REPLICAS),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images(),
                    Columns.wide("Selector", REPLICA_SET_SPEC_SELECTOR)),
            AppsPrinters::replicaSet);

    /** The table of StatefulSets. */
    public static final KindTable STATEFUL_SET = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Ready", READY_DESCRIPTION),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images()),
            AppsPrinters::statefulSet);

    /** The table of DaemonSets. */
    public static final KindTable DAEMON_SET = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.integer("Desired", DAEMON_SET_STATUS_DESIRED),
                    Columns.integer("Current", DAEMON_SET_STATUS_CURRENT),
                    Columns.integer("Ready", DAEMON_SET_STATUS_READY),
                    Columns.integer("Up-to-date", DAEMON_SET_STATUS_UPDATED),
                    Columns.integer("Available", DAEMON_SET_STATUS_AVAILABLE),
                    Columns.string("Node Selector", POD_SPEC_NODE_SELECTOR),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images(),
                    Columns.wide("Selector", DAEMON_SET_SPEC_SELECTOR)),
            AppsPrinters::daemonSet);

    /** The table of ControllerRevisions. */
    public static final KindTable CONTROLLER_REVISION = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Controller", "Controller of the object"),
                    Columns.string("Revision", CONTROLLER_REVISION_REVISION),
                    Columns.age()),
            AppsPrinters::controllerRevision);

    private static long desiredReplicas(JsonNode object) {
        return JsonReads.numOr(object, 1, "spec", "replicas");
    }

    static List<Object> deployment(JsonNode deployment, Instant now) {
        List<Object> cells = new ArrayList<>(List.of(
                Nodes.name(deployment),
                JsonReads.numOr(deployment, 0, "status", "readyReplicas") + "/" + desiredReplicas(deployment),
                JsonReads.numOr(deployment, 0, "status", "updatedReplicas"),
                JsonReads.numOr(deployment, 0, "status", "availableReplicas"),
                Nodes.age(deployment, now)));
        cells.addAll(Nodes.containerCells(JsonReads.at(deployment, "spec", "template", "spec")));
        // Unlike the other workloads, upstream prints the raw selector string here: "" when absent.
        cells.add(Labels.selectorString(JsonReads.at(deployment, "spec", "selector"))
                .orElse("<invalid>"));
        return List.copyOf(cells);
    }

    static List<Object> replicaSet(JsonNode replicaSet, Instant now) {
        List<Object> cells = new ArrayList<>(List.of(
                Nodes.name(replicaSet),
                desiredReplicas(replicaSet),
                JsonReads.numOr(replicaSet, 0, "status", "replicas"),
                JsonReads.numOr(replicaSet, 0, "status", "readyReplicas"),
                Nodes.age(replicaSet, now)));
        cells.addAll(Nodes.containerCells(JsonReads.at(replicaSet, "spec", "template", "spec")));
        cells.add(Labels.formatLabelSelector(JsonReads.at(replicaSet, "spec", "selector")));
        return List.copyOf(cells);
    }

    static List<Object> statefulSet(JsonNode statefulSet, Instant now) {
        List<Object> cells = new ArrayList<>(List.of(
                Nodes.name(statefulSet),
                JsonReads.numOr(statefulSet, 0, "status", "readyReplicas") + "/" + desiredReplicas(statefulSet),
                Nodes.age(statefulSet, now)));
        cells.addAll(Nodes.containerCells(JsonReads.at(statefulSet, "spec", "template", "spec")));
        return List.copyOf(cells);
    }

    static List<Object> daemonSet(JsonNode daemonSet, Instant now) {
        JsonNode status = JsonReads.at(daemonSet, "status");
        JsonNode podSpec = JsonReads.at(daemonSet, "spec", "template", "spec");
        List<Object> cells = new ArrayList<>(List.of(
                Nodes.name(daemonSet),
                JsonReads.numOr(status, 0, "desiredNumberScheduled"),
                JsonReads.numOr(status, 0, "currentNumberScheduled"),
                JsonReads.numOr(status, 0, "numberReady"),
                JsonReads.numOr(status, 0, "updatedNumberScheduled"),
                JsonReads.numOr(status, 0, "numberAvailable"),
                Labels.formatLabels(JsonReads.stringMap(podSpec, "nodeSelector")),
                Nodes.age(daemonSet, now)));
        cells.addAll(Nodes.containerCells(podSpec));
        cells.add(Labels.formatLabelSelector(JsonReads.at(daemonSet, "spec", "selector")));
        return List.copyOf(cells);
    }

    /** The controller shows as "kind.group/name" (kind lower-cased), e.g. "statefulset.apps/web". */
    static List<Object> controllerRevision(JsonNode revision, Instant now) {
        String controller = "<none>";
        for (JsonNode owner : JsonReads.items(revision, "metadata", "ownerReferences")) {
            if (JsonReads.bool(owner, "controller")) {
                String apiVersion = JsonReads.str(owner, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = JsonReads.str(owner, "kind");
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                String name = JsonReads.str(owner, "name");
                controller = groupKind.isEmpty() ? name : groupKind.toLowerCase(Locale.ROOT) + "/" + name;
                break;
            }
        }
        return List.of(
                Nodes.name(revision), controller, JsonReads.numOr(revision, 0, "revision"), Nodes.age(revision, now));
    }
}
