/**
 * Shared informers: one list+watch per kind per process into an indexed in-memory cache, with add/update/delete
 * handlers. Loops read from these caches and never list the API themselves.
 */
package dev.capstan.client.informer;
