package dev.capstan.store.internal;

import dev.capstan.store.StoreException;
import dev.capstan.store.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Blocking on Vert.x futures, and turning client failures into the store's errors. */
final class Pg {
    private Pg() {}

    static <T> T await(Future<T> future, String target) {
        return await(future.toCompletionStage().toCompletableFuture(), target);
    }

    static <T> T await(CompletableFuture<T> future, String target) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("store calls block: call them from a worker or virtual thread");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for PostgreSQL at " + target, e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), target);
        }
    }

    static RuntimeException translate(Throwable failure, String target) {
        if (failure instanceof StoreException known) {
            return known;
        }
        if (failure instanceof PgException pg && !isConnectionLoss(pg.getSqlState())) {
            // A statement error that is not about the connection is a bug in the store, not bad input.
            return new IllegalStateException("PostgreSQL rejected a store statement: " + pg.getMessage(), pg);
        }
        return new StoreUnavailableException(
                "PostgreSQL at " + target + " is unavailable (" + failure.getMessage()
                        + "); the store reconnects by itself, retry the call",
                failure);
    }

    /** SQLSTATE classes 08 (connection exception) and 57 (operator intervention, such as a shutdown). */
    private static boolean isConnectionLoss(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57"));
    }
}
