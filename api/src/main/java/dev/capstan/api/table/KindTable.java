package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

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
}
