/**
 * Objects on the store: keys per resource, resourceVersion from the store's revision, conditional writes turned
 * into Kubernetes conflicts, and claims on shared ranges. The only way to the store.
 */
package dev.capstan.api.storage;
