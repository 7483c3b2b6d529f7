/**
 * The strategy of scheduling.k8s.io PriorityClasses (upstream pkg/registry/scheduling): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.scheduling;
