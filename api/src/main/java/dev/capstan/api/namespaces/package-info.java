/**
 * Finishing namespace deletion: what upstream's namespace controller does (delete every object in a terminating
 * namespace through the generic store, report what remains, then clear the namespace's finalizer). It runs inside
 * the API server until the controller manager exists, as a piece that moves there unchanged.
 */
package dev.capstan.api.namespaces;
