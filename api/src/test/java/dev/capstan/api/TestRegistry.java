package dev.capstan.api;

import dev.capstan.api.registry.BuiltInResources;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.core.ServiceAllocator;
import dev.capstan.api.storage.RangeClaims;
import dev.capstan.api.table.DefaultTable;
import dev.capstan.api.table.KindTable;
import dev.capstan.store.Store;
import java.time.Clock;

/** The built-in resources for tests that need their registrations but no running server. */
public final class TestRegistry {
    private TestRegistry() {}

    /** The built-in registry; Services allocate from {@code store} (null: no allocation is possible). */
    public static ResourceRegistry builtIn(Store store) {
        return BuiltInResources.registry(
                new ServiceAllocator(new RangeClaims(() -> store), "10.96.0.0/16", "30000-32767", Clock.systemUTC()),
                Clock.systemUTC());
    }

    public static ResourceRegistry builtIn() {
        return builtIn(null);
    }

    /** A built-in resource by group, version and plural, e.g. ("apps", "v1", "deployments"). */
    public static ResourceType type(String group, String version, String plural) {
        return builtIn().find(group, version, plural).orElseThrow();
    }

    /** The table of the built-in kind, or the default table of a kind that is not served (as a custom kind's). */
    public static KindTable table(String group, String kind) {
        return builtIn().all().stream()
                .filter(t -> t.group().equals(group) && t.kind().equals(kind))
                .findFirst()
                .map(t -> t.strategy().table())
                .orElse(DefaultTable.TABLE);
    }
}
