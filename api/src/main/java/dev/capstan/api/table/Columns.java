package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.META_CREATION_TIMESTAMP;
import static dev.capstan.api.table.Descriptions.META_NAME;

/** Factories for the column shapes upstream's printers repeat. */
final class Columns {
    static final String CONTAINERS_DESCRIPTION = "Names of each container in the template.";
    static final String IMAGES_DESCRIPTION = "Images referenced by each container in the template.";

    private Columns() {}

    /** The object-name column; format "name" tells clients which column identifies the row. */
    static ColumnDefinition name() {
        return new ColumnDefinition("Name", "string", "name", META_NAME, 0);
    }

    static ColumnDefinition age() {
        return string("Age", META_CREATION_TIMESTAMP);
    }

    static ColumnDefinition string(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 0);
    }

    static ColumnDefinition integer(String name, String description) {
        return new ColumnDefinition(name, "integer", "", description, 0);
    }

    static ColumnDefinition bool(String name, String description) {
        return new ColumnDefinition(name, "boolean", "", description, 0);
    }

    /** A string column kubectl only shows with {@code -o wide}. */
    static ColumnDefinition wide(String name, String description) {
        return new ColumnDefinition(name, "string", "", description, 1);
    }

    static ColumnDefinition containers() {
        return wide("Containers", CONTAINERS_DESCRIPTION);
    }

    static ColumnDefinition images() {
        return wide("Images", IMAGES_DESCRIPTION);
    }
}
