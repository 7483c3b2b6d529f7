package dev.capstan.store;

import dev.capstan.store.embedded.EmbeddedDatabase;
import dev.capstan.store.internal.PostgresStore;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens stores. */
public final class Stores {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Stores() {}

    /**
     * Opens the PostgreSQL store with {@code config}: on the database at {@code capstan.store.url}, or on an
     * embedded PostgreSQL when no URL is set. Applies pending schema migrations first.
     */
    public static Store open(Vertx vertx, StoreConfig config) {
        return PostgresStore.open(vertx, config, Clock.systemUTC());
    }

    /**
     * Begins starting an embedded PostgreSQL on {@code dataDir} in the background, so that a later {@link #open}
     * of a config naming the same directory finds it running or nearly so; an {@code open} of any other
     * database stops it. Failures surface from {@code open}.
     */
    public static void prestartEmbedded(Path dataDir, int port) {
        EmbeddedDatabase.startInBackground(dataDir, port);
    }

    /** Reads {@link StoreConfig} from {@code properties} (keys such as {@code capstan.store.url}), with defaults. */
    public static StoreConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(StoreConfig.class)
                .withConverter(Duration.class, 200, Stores::duration)
                .withSources(new PropertiesConfigSource(properties, "capstan-store", 100))
                .build()
                .getConfigMapping(StoreConfig.class);
    }

    /** Durations as Quarkus writes them ({@code 500ms}, {@code 5s}, {@code 5m}) or in ISO-8601 ({@code PT5S}). */
    static Duration duration(String value) {
        Matcher m = SHORT_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
