package dev.capstan.api.resources;

import dev.capstan.api.selection.FieldSelector;
import dev.capstan.api.selection.LabelSelector;

/** The query of a list or watch, parsed. */
public record ListOptions(
        LabelSelector labels,
        FieldSelector fields,
        int limit,
        String continueToken,
        String resourceVersion,
        String resourceVersionMatch) {}
