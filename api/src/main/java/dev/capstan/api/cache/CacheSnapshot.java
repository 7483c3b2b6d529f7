package dev.capstan.api.cache;

import java.util.List;

/** The objects under one prefix in key order, as they were at {@code revision}. */
public record CacheSnapshot(List<CachedObject> objects, long revision) {}
