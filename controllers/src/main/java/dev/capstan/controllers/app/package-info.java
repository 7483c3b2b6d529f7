/**
 * The capstan-controller-manager app: connects to the API, elects a leader among its replicas, and runs the enabled
 * controllers on shared informers once elected; health probes and metrics for Quarkus.
 */
package dev.capstan.controllers.app;
