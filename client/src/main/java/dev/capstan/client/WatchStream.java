package dev.capstan.client;

import java.util.Iterator;

/**
 * A running watch, read by blocking: {@link #hasNext()} waits for the next event and answers false when the
 * server ends the stream (its timeout). A failure, such as 410 when the revision is compacted, is thrown as an
 * {@link ApiError}. {@link #close()} cancels it from any thread.
 */
public interface WatchStream<T> extends Iterator<WatchEvent<T>>, AutoCloseable {
    @Override
    void close();
}
