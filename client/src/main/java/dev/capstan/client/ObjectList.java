package dev.capstan.client;

import java.util.List;

/** One page of a list, and the revision it was read at ({@code resourceVersion}), to watch from. */
public record ObjectList<T>(List<T> items, String resourceVersion, String continueToken) {}
