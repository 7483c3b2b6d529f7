/**
 * The capstan-scheduler app: informers feed the scheduler core, the leader binds through the API's binding
 * subresource and writes failures back as conditions and events; health probes and metrics for Quarkus.
 */
package dev.capstan.scheduler.app;
