package dev.capstan.store;

import java.util.List;

/**
 * One page of a list. {@code revision} is the revision the page was read at: pass it back with the last key
 * of {@code items} to read the next page consistently. {@code more} says whether keys follow this page.
 */
public record ListResult(List<KeyValue> items, long revision, boolean more) {

    public boolean hasMore() {
        return more;
    }

    /** The key to continue after, or "" when the page is empty. */
    public String lastKey() {
        return items.isEmpty() ? "" : items.getLast().key();
    }
}
