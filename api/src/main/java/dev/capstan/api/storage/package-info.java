/**
 * Objects on the store: keys per resource, resourceVersion from the store's revision, conditional writes turned
 * into Kubernetes conflicts, and version conversion for resources served at several versions.
 */
package dev.capstan.api.storage;
