/**
 * The PostgreSQL implementation of the store: batched conditional writes, the change-log reader woken by
 * LISTEN/NOTIFY, watch fan-out, compaction and schema migration. Nothing outside the store module uses it.
 */
package dev.capstan.store.internal;
