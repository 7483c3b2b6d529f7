package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.POD_SPEC_NODE_NAME;
import static dev.capstan.api.table.Descriptions.POD_SPEC_READINESS_GATES;
import static dev.capstan.api.table.Descriptions.POD_STATUS_NOMINATED_NODE_NAME;
import static dev.capstan.api.table.Descriptions.POD_STATUS_POD_IP;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods: upstream's printPod, the most involved printer (status reason and restart summaries). */
public final class PodPrinter {
    static final List<ColumnDefinition> COLUMNS = List.of(
            Columns.name(),
            Columns.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.string("Status", "The aggregate status of the containers in this pod."),
            Columns.string(
                    "Restarts",
                    "The number of times the containers in this pod have been restarted and when the last container"
                            + " in this pod has restarted."),
            Columns.age(),
            Columns.wide("IP", POD_STATUS_POD_IP),
            Columns.wide("Node", POD_SPEC_NODE_NAME),
            Columns.wide("Nominated Node", POD_STATUS_NOMINATED_NODE_NAME),
            Columns.wide("Readiness Gates", POD_SPEC_READINESS_GATES));

    private static final String NODE_UNREACHABLE_REASON = "NodeLost";

    private PodPrinter() {}

    /** The table of Pods. */
    public static final KindTable POD = new KindTable(COLUMNS, PodPrinter::cells);

    /** Running totals over container statuses; upstream keeps restartable (sidecar) init containers apart. */
    private static final class Restarts {
        int count;
        Instant last = JsonReads.ZERO_TIME;

        void add(JsonNode status) {
            count += (int) JsonReads.numOr(status, 0, "restartCount");
            if (JsonReads.has(status, "lastState", "terminated")) {
                Instant finished = JsonReads.time(status, "lastState", "terminated", "finishedAt");
                if (last.isBefore(finished)) {
                    last = finished;
                }
            }
        }
    }

    static List<Object> cells(JsonNode pod, Instant now) {
        JsonNode spec = JsonReads.at(pod, "spec");
        JsonNode status = JsonReads.at(pod, "status");
        String phase = JsonReads.str(status, "phase");
        String reason = JsonReads.strOr(status, phase, "reason");
        for (JsonNode condition : JsonReads.items(status, "conditions")) {
            if (JsonReads.str(condition, "type").equals("PodScheduled")
                    && JsonReads.str(condition, "reason").equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        int totalContainers = JsonReads.size(spec, "containers");
        int readyContainers = 0;
        Map<String, JsonNode> initContainers = new HashMap<>();
        for (JsonNode container : JsonReads.items(spec, "initContainers")) {
            initContainers.put(JsonReads.str(container, "name"), container);
            if (restartable(container)) {
                totalContainers++;
            }
        }

        Restarts all = new Restarts();
        Restarts sidecars = new Restarts();
        boolean initializing = false;
        List<JsonNode> initStatuses = JsonReads.items(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode container = initStatuses.get(i);
            all.add(container);
            boolean sidecar = restartable(initContainers.get(JsonReads.str(container, "name")));
            if (sidecar) {
                sidecars.add(container);
            }
            boolean terminated = JsonReads.has(container, "state", "terminated");
            String waitingReason = JsonReads.str(container, "state", "waiting", "reason");
            if (terminated && JsonReads.numOr(container, 0, "state", "terminated", "exitCode") == 0) {
                continue;
            }
            if (sidecar && JsonReads.bool(container, "started")) {
                if (JsonReads.bool(container, "ready")) {
                    readyContainers++;
                }
                continue;
            }
            if (terminated) {
                reason = "Init:" + terminationReason(JsonReads.at(container, "state", "terminated"));
            } else if (!waitingReason.isEmpty() && !waitingReason.equals("PodInitializing")) {
                reason = "Init:" + waitingReason;
            } else {
                reason = "Init:" + i + "/" + JsonReads.size(spec, "initContainers");
            }
            initializing = true;
            break;
        }

        Restarts restarts = all;
        if (!initializing || initialized(status)) {
            // Once initialised, only sidecar restarts count alongside the regular containers.
            restarts = sidecars;
            boolean hasRunning = false;
            List<JsonNode> statuses = JsonReads.items(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                restarts.add(container);
                String waitingReason = JsonReads.str(container, "state", "waiting", "reason");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (JsonReads.has(container, "state", "terminated")) {
                    reason = terminationReason(JsonReads.at(container, "state", "terminated"));
                } else if (JsonReads.bool(container, "ready") && JsonReads.has(container, "state", "running")) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            // A pod whose last container completed still counts as running while another one runs.
            if (reason.equals("Completed") && hasRunning) {
                reason = ready(status) ? "Running" : "NotReady";
            }
        }

        if (Nodes.deleting(pod) && JsonReads.str(status, "reason").equals(NODE_UNREACHABLE_REASON)) {
            reason = "Unknown";
        } else if (Nodes.deleting(pod) && !phase.equals("Failed") && !phase.equals("Succeeded")) {
            reason = "Terminating";
        }

        String restartsCell = Integer.toString(restarts.count);
        if (restarts.count != 0 && !JsonReads.isZeroTime(restarts.last)) {
            restartsCell = restarts.count + " (" + Nodes.since(restarts.last, now) + " ago)";
        }

        return List.of(
                Nodes.name(pod),
                readyContainers + "/" + totalContainers,
                reason,
                restartsCell,
                Nodes.age(pod, now),
                podIp(status),
                JsonReads.strOr(spec, "<none>", "nodeName"),
                JsonReads.strOr(status, "<none>", "nominatedNodeName"),
                readinessGates(spec, status));
    }

    /** The conversion from v1 fills podIPs from the legacy podIP field when only the latter is set. */
    private static String podIp(JsonNode status) {
        String ip = JsonReads.size(status, "podIPs") > 0
                ? JsonReads.str(JsonReads.items(status, "podIPs").get(0), "ip")
                : JsonReads.str(status, "podIP");
        return ip.isEmpty() ? "<none>" : ip;
    }

    private static String terminationReason(JsonNode terminated) {
        String reason = JsonReads.str(terminated, "reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        long signal = JsonReads.numOr(terminated, 0, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + JsonReads.numOr(terminated, 0, "exitCode");
    }

    private static boolean restartable(JsonNode initContainer) {
        return initContainer != null
                && JsonReads.str(initContainer, "restartPolicy").equals("Always");
    }

    /** Upstream's isPodInitializedConditionTrue: the first Initialized condition decides. */
    private static boolean initialized(JsonNode status) {
        for (JsonNode condition : JsonReads.items(status, "conditions")) {
            if (JsonReads.str(condition, "type").equals("Initialized")) {
                return JsonReads.str(condition, "status").equals("True");
            }
        }
        return false;
    }

    /** Upstream's hasPodReadyCondition: any Ready condition that is True. */
    private static boolean ready(JsonNode status) {
        return JsonReads.items(status, "conditions").stream()
                .anyMatch(c -> JsonReads.str(c, "type").equals("Ready")
                        && JsonReads.str(c, "status").equals("True"));
    }

    private static String readinessGates(JsonNode spec, JsonNode status) {
        List<JsonNode> gates = JsonReads.items(spec, "readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            String type = JsonReads.str(gate, "conditionType");
            for (JsonNode condition : JsonReads.items(status, "conditions")) {
                if (JsonReads.str(condition, "type").equals(type)) {
                    if (JsonReads.str(condition, "status").equals("True")) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }
}
