/**
 * Lists: resourceVersion rules, label and field selectors, limit and continue, served from the watch cache
 * or the store.
 */
package dev.capstan.api.resources;
