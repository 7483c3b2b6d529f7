/**
 * API watches: initial events, cache or change-log events turned into ADDED/MODIFIED/DELETED through the
 * watcher's selectors, bookmarks and the 410 ERROR event.
 */
package dev.capstan.api.watch;
