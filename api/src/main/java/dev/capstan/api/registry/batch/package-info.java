/**
 * The strategies of the batch kinds (upstream pkg/registry/batch): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.batch;
