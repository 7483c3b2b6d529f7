/**
 * The resource registry: every served kind with its group, version, plural, scope, subresources and field
 * selectors. Routing, discovery and storage keys are derived from it, so adding a kind is one entry.
 */
package dev.capstan.api.registry;
