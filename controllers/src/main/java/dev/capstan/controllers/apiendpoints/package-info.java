/**
 * The API server's own Service: keeps {@code default/kubernetes}, its Endpoints and its EndpointSlice pointing at the
 * configured API server addresses, restoring them every 10 seconds (upstream's master endpoint reconciler).
 */
package dev.capstan.controllers.apiendpoints;
