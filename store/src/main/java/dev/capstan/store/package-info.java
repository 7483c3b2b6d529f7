/**
 * The cluster state store: one revision counter, conditional writes, a change log, watches and compaction.
 * {@link dev.capstan.store.Store} is the whole contract; only the API server uses it.
 */
package dev.capstan.store;
