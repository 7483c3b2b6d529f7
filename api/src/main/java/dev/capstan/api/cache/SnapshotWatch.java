package dev.capstan.api.cache;

/** A snapshot and a watch of every event after it. */
public record SnapshotWatch(CacheSnapshot snapshot, CacheWatch watch) {}
