/**
 * Typed access to the API server's internal gRPC API ({@link dev.capstan.client.ApiClient}): what client-go's
 * clientset is to Kubernetes. Every component but the API server reaches cluster state through this module.
 */
package dev.capstan.client;
