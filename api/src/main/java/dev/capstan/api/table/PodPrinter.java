package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.POD_SPEC_NODE_NAME;
import static dev.capstan.api.table.Descriptions.POD_SPEC_READINESS_GATES;
import static dev.capstan.api.table.Descriptions.POD_STATUS_NOMINATED_NODE_NAME;
import static dev.capstan.api.table.Descriptions.POD_STATUS_POD_IP;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods: upstream's printPod, the most involved printer (status reason and restart summaries). */
final class PodPrinter {
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

    static void register(Map<String, KindTable> tables) {
        KindTable.put(tables, "", "Pod", COLUMNS, PodPrinter::cells);
    }

    /** Running totals over container statuses; upstream keeps restartable (sidecar) init containers apart. */
    private static final class Restarts {
        int count;
        Instant last = Nodes.ZERO_TIME;

        void add(JsonNode status) {
            count += (int) Nodes.number(status, "restartCount");
            if (Nodes.present(status, "lastState", "terminated")) {
                Instant finished = Nodes.time(status, "lastState", "terminated", "finishedAt");
                if (last.isBefore(finished)) {
                    last = finished;
                }
            }
        }
    }

    static List<Object> cells(JsonNode pod, Instant now) {
        JsonNode spec = Nodes.at(pod, "spec");
        JsonNode status = Nodes.at(pod, "status");
        String phase = Nodes.text(status, "phase");
        String reason = Nodes.textOr(status, phase, "reason");
        for (JsonNode condition : Nodes.list(status, "conditions")) {
            if (Nodes.text(condition, "type").equals("PodScheduled")
                    && Nodes.text(condition, "reason").equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        int totalContainers = Nodes.size(spec, "containers");
        int readyContainers = 0;
        Map<String, JsonNode> initContainers = new HashMap<>();
        for (JsonNode container : Nodes.list(spec, "initContainers")) {
            initContainers.put(Nodes.text(container, "name"), container);
            if (restartable(container)) {
                totalContainers++;
            }
        }

        Restarts all = new Restarts();
        Restarts sidecars = new Restarts();
        boolean initializing = false;
        List<JsonNode> initStatuses = Nodes.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode container = initStatuses.get(i);
            all.add(container);
            boolean sidecar = restartable(initContainers.get(Nodes.text(container, "name")));
            if (sidecar) {
                sidecars.add(container);
            }
            boolean terminated = Nodes.present(container, "state", "terminated");
            String waitingReason = Nodes.text(container, "state", "waiting", "reason");
            if (terminated && Nodes.number(container, "state", "terminated", "exitCode") == 0) {
                continue;
            }
            if (sidecar && Nodes.bool(container, "started")) {
                if (Nodes.bool(container, "ready")) {
                    readyContainers++;
                }
                continue;
            }
            if (terminated) {
                reason = "Init:" + terminationReason(Nodes.at(container, "state", "terminated"));
            } else if (!waitingReason.isEmpty() && !waitingReason.equals("PodInitializing")) {
                reason = "Init:" + waitingReason;
            } else {
                reason = "Init:" + i + "/" + Nodes.size(spec, "initContainers");
            }
            initializing = true;
            break;
        }

        Restarts restarts = all;
        if (!initializing || initialized(status)) {
            // Once initialised, only sidecar restarts count alongside the regular containers.
            restarts = sidecars;
            boolean hasRunning = false;
            List<JsonNode> statuses = Nodes.list(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                restarts.add(container);
                String waitingReason = Nodes.text(container, "state", "waiting", "reason");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (Nodes.present(container, "state", "terminated")) {
                    reason = terminationReason(Nodes.at(container, "state", "terminated"));
                } else if (Nodes.bool(container, "ready") && Nodes.present(container, "state", "running")) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            // A pod whose last container completed still counts as running while another one runs.
            if (reason.equals("Completed") && hasRunning) {
                reason = ready(status) ? "Running" : "NotReady";
            }
        }

        if (Nodes.deleting(pod) && Nodes.text(status, "reason").equals(NODE_UNREACHABLE_REASON)) {
            reason = "Unknown";
        } else if (Nodes.deleting(pod) && !phase.equals("Failed") && !phase.equals("Succeeded")) {
            reason = "Terminating";
        }

        String restartsCell = Integer.toString(restarts.count);
        if (restarts.count != 0 && !Nodes.isZero(restarts.last)) {
            restartsCell = restarts.count + " (" + Nodes.since(restarts.last, now) + " ago)";
        }

        return List.of(
                Nodes.name(pod),
                readyContainers + "/" + totalContainers,
                reason,
                restartsCell,
                Nodes.age(pod, now),
                podIp(status),
                Nodes.textOr(spec, "<none>", "nodeName"),
                Nodes.textOr(status, "<none>", "nominatedNodeName"),
                readinessGates(spec, status));
    }

    /** The conversion from v1 fills podIPs from the legacy podIP field when only the latter is set. */
    private static String podIp(JsonNode status) {
        String ip = Nodes.size(status, "podIPs") > 0
                ? Nodes.text(Nodes.list(status, "podIPs").get(0), "ip")
                : Nodes.text(status, "podIP");
        return ip.isEmpty() ? "<none>" : ip;
    }

    private static String terminationReason(JsonNode terminated) {
        String reason = Nodes.text(terminated, "reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        long signal = Nodes.number(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + Nodes.number(terminated, "exitCode");
    }

    private static boolean restartable(JsonNode initContainer) {
        return initContainer != null
                && Nodes.text(initContainer, "restartPolicy").equals("Always");
    }

    /** Upstream's isPodInitializedConditionTrue: the first Initialized condition decides. */
    private static boolean initialized(JsonNode status) {
        for (JsonNode condition : Nodes.list(status, "conditions")) {
            if (Nodes.text(condition, "type").equals("Initialized")) {
                return Nodes.text(condition, "status").equals("True");
            }
        }
        return false;
    }

    /** Upstream's hasPodReadyCondition: any Ready condition that is True. */
    private static boolean ready(JsonNode status) {
        return Nodes.list(status, "conditions").stream()
                .anyMatch(c -> Nodes.text(c, "type").equals("Ready")
                        && Nodes.text(c, "status").equals("True"));
    }

    private static String readinessGates(JsonNode spec, JsonNode status) {
        List<JsonNode> gates = Nodes.list(spec, "readinessGates");
        if (gates.isEmpty()) {
            return "<none>";
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            String type = Nodes.text(gate, "conditionType");
            for (JsonNode condition : Nodes.list(status, "conditions")) {
                if (Nodes.text(condition, "type").equals(type)) {
                    if (Nodes.text(condition, "status").equals("True")) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }
}
