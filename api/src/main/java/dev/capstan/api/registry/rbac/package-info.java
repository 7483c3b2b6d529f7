/**
 * The strategies of the rbac kinds (upstream pkg/registry/rbac): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.rbac;
