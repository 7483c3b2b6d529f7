/**
 * The strategies of the networking kinds (upstream pkg/registry/networking): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.networking;
