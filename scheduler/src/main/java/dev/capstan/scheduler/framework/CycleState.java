package dev.capstan.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's CycleState: what plugins compute in PreFilter/PreScore for the Filter/Score calls of one scheduling
 * cycle. Used by the one scheduling thread only, so it is not synchronized. {@link #copy()} deep-copies each entry so
 * preemption's what-if runs (adding or removing pods) never disturb the cycle's own state.
 */
public final class CycleState {
    /** Plugin state; {@link #copy()} is called when the cycle state is cloned. */
    public interface Data {
        Data copy();
    }

    private final Map<String, Data> data;
    private final Set<String> skipFilterPlugins;
    private final Set<String> skipScorePlugins;
    private List<FilterPlugin> filtersToRun;
    private int filtersToRunSkipped;

    public CycleState() {
        this(new HashMap<>(), new HashSet<>(), new HashSet<>());
    }

    private CycleState(Map<String, Data> data, Set<String> skipFilter, Set<String> skipScore) {
        this.data = data;
        this.skipFilterPlugins = skipFilter;
        this.skipScorePlugins = skipScore;
    }

    public void write(String key, Data value) {
        data.put(key, value);
    }

    /** The entry, or null when PreFilter/PreScore did not write it (e.g. it returned Skip). */
    public <T extends Data> T read(String key, Class<T> type) {
        Data d = data.get(key);
        return d == null ? null : type.cast(d);
    }

    /** Plugins whose PreFilter returned Skip: their Filter is not called this cycle. */
    public Set<String> skipFilterPlugins() {
        return skipFilterPlugins;
    }

    /** Plugins whose PreScore returned Skip: their Score is not called this cycle. */
    public Set<String> skipScorePlugins() {
        return skipScorePlugins;
    }

    /**
     * The filters of {@code all} whose PreFilter did not skip them, worked out once per cycle (Filter runs for every
     * node checked) and again only if a plugin was skipped since.
     */
    List<FilterPlugin> filtersToRun(List<FilterPlugin> all) {
        if (filtersToRun == null || filtersToRunSkipped != skipFilterPlugins.size()) {
            filtersToRun = skipFilterPlugins.isEmpty()
                    ? all
                    : all.stream()
                            .filter(p -> !skipFilterPlugins.contains(p.name()))
                            .toList();
            filtersToRunSkipped = skipFilterPlugins.size();
        }
        return filtersToRun;
    }

    public CycleState copy() {
        Map<String, Data> copied = new HashMap<>(data.size() * 2);
        data.forEach((k, v) -> copied.put(k, v.copy()));
        return new CycleState(copied, new HashSet<>(skipFilterPlugins), new HashSet<>(skipScorePlugins));
    }
}
