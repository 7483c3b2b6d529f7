package dev.capstan.controllers.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Every controller the manager can run, and the selection of them that {@code capstan.controllers.enabled} makes. */
public final class Controllers {
    private Controllers() {}

    /** All controllers, in the order they start. */
    public static List<ControllerSpec> all() {
        return List.of();
    }

    /**
     * Upstream's --controllers: "*" enables all, a name enables one, "-name" disables one.
     *
     * @throws IllegalArgumentException naming an unknown controller and the known ones
     */
    public static List<ControllerSpec> enabled(List<ControllerSpec> all, List<String> selection) {
        Set<String> known = all.stream().map(ControllerSpec::name).collect(Collectors.toSet());
        for (String item : selection) {
            String name = item.startsWith("-") ? item.substring(1) : item;
            if (!name.equals("*") && !known.contains(name)) {
                throw new IllegalArgumentException("capstan.controllers.enabled names an unknown controller \"" + name
                        + "\"; the controllers are " + known.stream().sorted().toList());
            }
        }
        boolean star = selection.contains("*");
        List<ControllerSpec> out = new ArrayList<>();
        for (ControllerSpec spec : all) {
            boolean on = (star || selection.contains(spec.name())) && !selection.contains("-" + spec.name());
            if (on) {
                out.add(spec);
            }
        }
        return out;
    }
}
