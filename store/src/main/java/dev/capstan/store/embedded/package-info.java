/**
 * Runs and supervises the embedded PostgreSQL server that keeps Capstan's cluster state in a local data directory.
 * Owns its lifecycle (initialise once, start, restart after a crash, stop), who may log in (password files,
 * pg_hba.conf, the run-time role), its durable server settings and its start-up diagnostics.
 */
package dev.capstan.store.embedded;
