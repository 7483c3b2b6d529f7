package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The columns of one kind together with the function computing a row's cells in that column order. */
public record KindTable(List<ColumnDefinition> columns, RowPrinter printer) {

    /** Computes the cells of one object; upstream's server-side printers always emit the wide cells too. */
    @FunctionalInterface
    public interface RowPrinter {
        List<Object> cells(JsonNode object, Instant now);
    }

    public KindTable {
        columns = List.copyOf(columns);
    }

    static String key(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }

    static void put(
            Map<String, KindTable> tables,
            String group,
            String kind,
            List<ColumnDefinition> columns,
            RowPrinter printer) {
        tables.put(key(group, kind), new KindTable(columns, printer));
    }
}
