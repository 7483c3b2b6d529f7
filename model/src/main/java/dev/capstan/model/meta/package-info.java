/**
 * Object identity: namespace/name keys, group/version/kind/resource names with upstream's parse and print forms, and
 * owner-reference lookups.
 */
package dev.capstan.model.meta;
