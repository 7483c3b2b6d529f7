/**
 * The strategy of discovery.k8s.io EndpointSlices (upstream pkg/registry/discovery): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.discovery;
