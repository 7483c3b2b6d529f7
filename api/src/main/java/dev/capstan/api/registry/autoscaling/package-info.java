/**
 * The strategies of the autoscaling kinds (upstream pkg/registry/autoscaling): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.autoscaling;
