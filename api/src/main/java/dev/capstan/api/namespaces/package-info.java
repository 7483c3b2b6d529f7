/**
 * Finishing namespace deletion inside the API server, for an API server run alone (capstan.api.namespace-cleanup):
 * in a cluster the controller manager's namespace controller does it, as upstream's does.
 */
package dev.capstan.api.namespaces;
