package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hand-made schemas for the algorithm's tests. {@link #MERGE_ITEM} mirrors upstream's test struct {@code MergeItem}
 * (strategicpatch/patch_test.go), so upstream's test tables carry over unchanged.
 */
final class TestSchema implements PatchSchema {
    /** upstream's MergeItem: merging and non-merging lists of itself and of ints, a map, a retainKeys struct. */
    static final TestSchema MERGE_ITEM = object();
    /** upstream's RetainKeysMergeItem. */
    static final TestSchema RETAIN_KEYS_MERGE_ITEM = object();

    static {
        for (TestSchema item : new TestSchema[] {MERGE_ITEM, RETAIN_KEYS_MERGE_ITEM}) {
            item.with("name", scalar("string"))
                    .with("value", scalar("string"))
                    .with("other", scalar("string"))
                    .with("simpleMap", map(scalar("string")))
                    .with("mergingIntList", field(list(scalar("integer")), "", Strategy.MERGE))
                    .with("mergingList", field(list(MERGE_ITEM), "name", Strategy.MERGE))
                    .with("nonMergingList", list(MERGE_ITEM));
        }
        MERGE_ITEM
                .with("nonMergingIntList", list(scalar("integer")))
                .with("mergeItemPtr", field(list(MERGE_ITEM), "name", Strategy.MERGE))
                .with("replacingItem", field(object(), "", Strategy.REPLACE))
                .with("retainKeysMap", field(RETAIN_KEYS_MERGE_ITEM, "", Strategy.RETAIN_KEYS))
                .with("retainKeysMergingList", field(list(MERGE_ITEM), "name", Strategy.MERGE, Strategy.RETAIN_KEYS));
    }

    private final String type;
    private final Map<String, PatchSchema> fields = new HashMap<>();
    private PatchSchema values = NONE;
    private PatchSchema items = NONE;

    private TestSchema(String type) {
        this.type = type;
    }

    static TestSchema object() {
        return new TestSchema("object");
    }

    static TestSchema scalar(String type) {
        return new TestSchema(type);
    }

    static TestSchema list(PatchSchema items) {
        TestSchema list = new TestSchema("array");
        list.items = items;
        return list;
    }

    static TestSchema map(PatchSchema values) {
        TestSchema map = new TestSchema("object");
        map.values = values;
        return map;
    }

    /** A field position: the patch metadata of a property, over the schema of its value. */
    static PatchSchema field(PatchSchema value, String mergeKey, Strategy... strategies) {
        Set<Strategy> set = strategies.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(strategies[0], strategies));
        return new Field(value, mergeKey, set);
    }

    TestSchema with(String name, PatchSchema schema) {
        fields.put(name, schema);
        return this;
    }

    @Override
    public PatchSchema field(String name) {
        return fields.getOrDefault(name, values);
    }

    @Override
    public PatchSchema items() {
        return items;
    }

    @Override
    public String mergeKey() {
        return "";
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of();
    }

    @Override
    public String type() {
        return type;
    }

    private record Field(PatchSchema value, String mergeKey, Set<Strategy> strategies) implements PatchSchema {
        @Override
        public PatchSchema field(String name) {
            return value.field(name);
        }

        @Override
        public PatchSchema items() {
            return value.items();
        }

        @Override
        public String type() {
            return value.type();
        }
    }

    /** JSON written with single quotes, for readable tables. */
    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies a patch to an object of upstream's MergeItem type. */
    static JsonNode apply(String original, String patch) {
        return StrategicMergePatch.apply(json(original), json(patch), MERGE_ITEM);
    }

    /** The failure applying a patch to a MergeItem gives, as "code message". */
    static String failure(String original, String patch) {
        try {
            apply(original, patch);
            return "no failure";
        } catch (ApiException e) {
            return e.code() + " " + e.getMessage();
        }
    }
}
