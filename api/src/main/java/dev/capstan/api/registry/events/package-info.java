/**
 * The strategy of events.k8s.io/v1 Events (upstream pkg/registry/core/event, served at events.k8s.io): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.events;
