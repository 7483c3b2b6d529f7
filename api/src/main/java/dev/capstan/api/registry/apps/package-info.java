/**
 * The strategies of the apps kinds (upstream pkg/registry/apps): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.apps;
