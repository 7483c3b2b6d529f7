/**
 * Runs the embedded PostgreSQL server that keeps Capstan's cluster state in a local data directory.
 * Owns its lifecycle (initialise once, start, stop, restart), its durable server settings and its start-up diagnostics.
 */
package dev.capstan.store.embedded;
