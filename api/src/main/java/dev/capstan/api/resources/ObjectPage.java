package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.cache.CachedObject;
import java.util.List;

/** One page of a list with its objects in served form, whether read from the watch cache or the store. */
public record ObjectPage(List<CachedObject> items, long revision, String continueToken, Long remainingItemCount) {
    /** The page with every object decoded. */
    public ListResultPage decoded() {
        List<ObjectNode> trees = items.stream().map(CachedObject::tree).toList();
        return new ListResultPage(trees, revision, continueToken, remainingItemCount);
    }
}
