package dev.capstan.api;

import dev.capstan.store.Stores;
import io.quarkus.runtime.ImageMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts the embedded PostgreSQL as soon as the application's beans exist, before Quarkus starts its other parts
 * (gRPC, health, metrics), so that the database boots beside them instead of after them.
 *
 * <p>This runs while Quarkus initialises statically, before the runtime configuration exists. It therefore acts
 * only on a data directory given as a system property (as {@code ./capstan up} gives it) with no database URL
 * configured, where the value cannot differ later; the store's {@code open} takes the server over, or stops it if
 * the configuration turns out to want another database.
 */
@ApplicationScoped
public class StorePrestart {
    private static final String DATA_DIR = "capstan.store.embedded.data-dir";
    private static final String URL = "capstan.store.url";

    void begin(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (ImageMode.current() == ImageMode.NATIVE_BUILD) {
            return; // static initialisation of a native image runs at build time
        }
        String dataDir = System.getProperty(DATA_DIR);
        if (dataDir == null
                || System.getProperty(URL) != null
                || System.getenv("CAPSTAN_STORE_URL") != null
                || ConfigProvider.getConfig()
                        .getOptionalValue(URL, String.class)
                        .isPresent()) {
            return;
        }
        int port = Integer.getInteger("capstan.store.embedded.port", 0);
        Stores.prestartEmbedded(Path.of(dataDir), port);
    }
}
