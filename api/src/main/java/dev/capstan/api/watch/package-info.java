/**
 * API watches: initial events, store changes turned into ADDED/MODIFIED/DELETED through the watcher's
 * selectors, bookmarks and the 410 ERROR event. Fan-out happens in the store's per-process watch hub.
 */
package dev.capstan.api.watch;
