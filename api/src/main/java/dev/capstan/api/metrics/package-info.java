/** Prometheus metrics of the API server, named as kube-apiserver names its own where there is a match. */
package dev.capstan.api.metrics;
