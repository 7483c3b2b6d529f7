package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Ports of apimachinery's label-set and label-selector string forms. */
final class Labels {
    private Labels() {}

    /** labels.FormatLabels: sorted "k=v" pairs, or "&lt;none&gt;". */
    static String formatLabels(Map<String, String> labels) {
        // Set.String sorts the joined "k=v" strings, not the keys; keep that order.
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        pairs.sort(Comparator.naturalOrder());
        String joined = String.join(",", pairs);
        return joined.isEmpty() ? "<none>" : joined;
    }

    /** metav1.FormatLabelSelector: the selector string, "&lt;none&gt;" when it selects everything or nothing. */
    static String formatLabelSelector(JsonNode selector) {
        return selectorString(selector).map(s -> s.isEmpty() ? "<none>" : s).orElse("<error>");
    }

    /**
     * metav1.LabelSelectorAsSelector(...).String(): "" for an absent selector (it selects nothing) or an empty one
     * (everything); empty when the selector is invalid (upstream reports an error).
     */
    static Optional<String> selectorString(JsonNode selector) {
        try {
            return Optional.of(LabelSelector.of(selector).toString());
        } catch (SelectorParseException e) {
            return Optional.empty();
        }
    }
}
