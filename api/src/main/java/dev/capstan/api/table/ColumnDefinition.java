package dev.capstan.api.table;

/**
 * One column of a meta.k8s.io/v1 Table, as upstream's {@code TableColumnDefinition}.
 *
 * @param name the column title; kubectl upper-cases it for display
 * @param type the OpenAPI type of the cells ("string", "integer", "boolean", "date")
 * @param format an OpenAPI format hint, "" when none; "name" marks the object-name column
 * @param description a human readable description of the column
 * @param priority 0 for columns always shown, 1 for those only shown with {@code -o wide}
 */
public record ColumnDefinition(String name, String type, String format, String description, int priority) {}
