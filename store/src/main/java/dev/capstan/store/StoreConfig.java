package dev.capstan.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the store, under {@code capstan.store}. */
@ConfigMapping(prefix = "capstan.store")
public interface StoreConfig {

    /**
     * A PostgreSQL URL such as {@code postgresql://user:secret@db:5432/capstan}. When absent, the store starts
     * an embedded PostgreSQL whose data lives in {@link Embedded#dataDir()}.
     */
    Optional<String> url();

    Embedded embedded();

    Pool pool();

    Batch batch();

    WatchSettings watch();

    Compaction compaction();

    interface Embedded {
        /** Where the embedded server keeps its data; a restart with the same directory keeps the state. */
        @WithDefault(".capstan/data/postgres")
        String dataDir();

        /** The loopback port of the embedded server; 0 picks a free one. */
        @WithDefault("0")
        int port();
    }

    interface Pool {
        @WithDefault("8")
        int size();

        /** How long a call waits to reach PostgreSQL before it fails with a clear error. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * How long a pooled connection may stay unused before it is closed (0: never). Each open connection is a
         * PostgreSQL backend process of 10-25 MiB resident; an idle cluster needs one or two, a burst opens the rest
         * again in a few milliseconds each.
         */
        @WithDefault("60s")
        Duration idleTimeout();
    }

    interface Batch {
        /** The most writes committed in one transaction. */
        @WithDefault("512")
        int maxSize();

        /**
         * Batch transactions one process keeps in flight. The revision lock serialises them in PostgreSQL, so a
         * second one only waits for the lock holding a connection, while the writes queued behind it could have
         * joined one larger batch; measured on 2 cores, 1 gave 1.3-2x the throughput of 2 (docs/benchmarks.md).
         */
        @WithDefault("1")
        int maxInFlight();
    }

    interface WatchSettings {
        /** Events buffered per watcher; a watcher that falls further behind is closed. */
        @WithDefault("4096")
        int queueSize();

        /** How often the change log is read when no notification arrives (a safety net for lost wake-ups). */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Compaction {
        /** How often the compactor runs; 0 turns it off. */
        @WithDefault("60s")
        Duration interval();

        /** Log entries older than this are trimmed. */
        @WithDefault("5m")
        Duration maxAge();

        /** The log keeps at most this many of the newest entries. */
        @WithDefault("100000")
        long maxCount();
    }
}
