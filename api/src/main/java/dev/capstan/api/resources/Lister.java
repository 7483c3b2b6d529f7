package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists with Kubernetes' resourceVersion rules, selectors, {@code limit} and {@code continue}. Selectors filter
 * after reading, so a page with a selector keeps reading until it has {@code limit} matches, as upstream does.
 */
public final class Lister {
    private static final int READ_PAGE = 500;

    private final ObjectStorage storage;

    public Lister(ObjectStorage storage) {
        this.storage = storage;
    }

    public ListResultPage list(ResourceType type, String namespace, ListOptions options) {
        long revision = startRevision(options);
        String after = "";
        ContinueToken token = null;
        if (!options.continueToken().isEmpty()) {
            token = ContinueToken.decode(options.continueToken());
            revision = token.revision();
            after = token.startAfterKey();
        }
        boolean filtered = !options.labels().isEmpty() || !options.fields().isEmpty();
        int limit = options.limit();
        List<ObjectNode> items = new ArrayList<>();
        while (true) {
            int want = limit == 0 ? 0 : filtered ? Math.max(READ_PAGE, limit) : limit - items.size();
            ListResult page = storage.list(type, namespace, revision, want, after);
            revision = page.revision();
            List<KeyValue> kvs = page.items();
            for (int i = 0; i < kvs.size(); i++) {
                KeyValue kv = kvs.get(i);
                after = kv.key();
                ObjectNode object = storage.decode(type, kv).object();
                if (options.labels().matches(object) && options.fields().matches(object)) {
                    items.add(object);
                }
                if (limit > 0 && items.size() == limit) {
                    boolean more = i < kvs.size() - 1 || page.hasMore();
                    if (!more) {
                        return new ListResultPage(items, revision, "", null);
                    }
                    Long remaining =
                            filtered ? null : remainingAfter(type, namespace, revision, after, token, items.size());
                    String next = new ContinueToken(revision, after, remaining == null ? -1 : remaining).encode();
                    return new ListResultPage(items, revision, next, remaining);
                }
            }
            if (!page.hasMore() || limit == 0) {
                return new ListResultPage(items, revision, "", null);
            }
        }
    }

    /**
     * The items left after {@code after}: counted once per list, on its first page, then carried in the
     * continue token (a count at a fixed revision does not change), so paging stays linear.
     */
    private Long remainingAfter(
            ResourceType type, String namespace, long revision, String after, ContinueToken t, int returned) {
        if (t != null && t.remaining() >= 0) {
            return t.remaining() - returned;
        }
        return storage.timed("count", () -> storage.store().count(type.storagePrefix(namespace), revision, after));
    }

    /** "" is a consistent read, "0" any; N with Exact reads at N, otherwise the current state (not older). */
    private long startRevision(ListOptions options) {
        String rv = options.resourceVersion();
        String match = options.resourceVersionMatch();
        if (!options.continueToken().isEmpty() && !rv.isEmpty() && !rv.equals("0")) {
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
        if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
            throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        if (!match.isEmpty() && rv.isEmpty()) {
            throw ApiException.badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        if (rv.isEmpty() || rv.equals("0")) {
            if (match.equals("Exact")) {
                throw ApiException.badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
            }
            return 0;
        }
        long requested;
        try {
            requested = Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a number");
        }
        if (match.equals("Exact")) {
            return requested;
        }
        long current = storage.store().currentRevision();
        if (requested > current) {
            throw ApiException.timeout("Too large resource version: " + requested + ", current: " + current);
        }
        return 0;
    }
}
