/**
 * The strategy of storage.k8s.io StorageClasses (upstream pkg/registry/storage): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.storage;
