/**
 * The resource registry and the generic store: every served resource with the strategy of its kind, and the
 * one store that applies those strategies around storage in upstream's order (create, update, delete).
 */
package dev.capstan.api.registry;
