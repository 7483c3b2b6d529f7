/**
 * The strategies of the core (v1) kinds: each kind's defaulting, create and update rules, validation, status
 * subresource, field selectors and deletion behaviour, as upstream's pkg/registry/core/&lt;kind&gt;.
 */
package dev.capstan.api.registry.core;
