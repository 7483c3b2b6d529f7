/**
 * The metrics.k8s.io/v1beta1 API as metrics-server serves it: node agents' {@code /metrics/resource} scraped on
 * demand, the last two samples kept per series, CPU as the rate between them.
 */
package dev.capstan.api.resourcemetrics;
