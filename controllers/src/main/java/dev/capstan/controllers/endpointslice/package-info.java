/**
 * The EndpointSlice controller: keeps the EndpointSlices of every Service with a selector, packed at most 100
 * endpoints to a slice, one set of slices per distinct port set, and tracks its own writes so it never acts on a stale cache.
 */
package dev.capstan.controllers.endpointslice;
