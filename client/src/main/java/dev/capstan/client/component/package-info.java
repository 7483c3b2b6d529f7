/**
 * What every Capstan component does around its loops (upstream's component-base): one connection to the API, the
 * shared informers, leader election among its replicas, and the readiness the app reports.
 */
package dev.capstan.client.component;
