/**
 * The scheduler cache (upstream's internal/cache): NodeInfos with assigned and assumed pods, assumed-pod expiry, and
 * the incremental snapshot update that copies only NodeInfos changed since the last cycle.
 */
package dev.capstan.scheduler.cache;
