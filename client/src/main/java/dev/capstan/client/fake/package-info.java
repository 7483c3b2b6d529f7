/**
 * An in-memory API for unit tests of loops (client-go's fake clientset): objects, revisions, watches, conflicts,
 * finalizers and the recorded actions, without a server. Integration tests use the real API server instead.
 */
package dev.capstan.client.fake;
