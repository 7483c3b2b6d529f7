package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the columns and cells of a meta.k8s.io/v1 Table ({@code kubectl get}'s {@code as=Table}) the way
 * kube-apiserver 1.32 does, following {@code pkg/printers/internalversion/printers.go}.
 *
 * <p>Like the upstream server, cells always include the wide ({@code priority 1}) columns; kubectl hides those
 * unless asked for {@code -o wide}. Cells are Strings, Longs and, where upstream prints Go booleans (StorageClass,
 * PriorityClass), Booleans.
 */
public final class TableConvertor {
    private static final Map<String, KindTable> TABLES = registerAll();

    private TableConvertor() {}

    /** Columns for the kind; group "" is core. Unknown kinds get the default NAME / AGE columns (Created At). */
    public static List<ColumnDefinition> columns(String group, String kind) {
        return table(group, kind).columns();
    }

    /**
     * The cells of one row, in column order: Strings, Longs/Integers, or null where upstream prints {@code <none>}-like
     * empty.
     */
    public static List<Object> cells(String group, String kind, JsonNode object, Instant now) {
        return table(group, kind).printer().cells(object, now);
    }

    /**
     * Kubernetes' short human duration as kubectl prints ages: "0s", "45s", "3m20s", "5h", "2d3h", "400d" — match
     * upstream duration.HumanDuration exactly.
     */
    public static String humanDuration(Duration d) {
        return Durations.human(d);
    }

    private static KindTable table(String group, String kind) {
        return TABLES.getOrDefault(KindTable.key(group, kind), DefaultTable.TABLE);
    }

    private static Map<String, KindTable> registerAll() {
        Map<String, KindTable> tables = new HashMap<>();
        PodPrinter.register(tables);
        CorePrinters.register(tables);
        EventPrinter.register(tables);
        StoragePrinters.register(tables);
        AppsPrinters.register(tables);
        BatchPrinters.register(tables);
        HpaPrinter.register(tables);
        NetworkingPrinters.register(tables);
        ClusterPrinters.register(tables);
        return Map.copyOf(tables);
    }
}
