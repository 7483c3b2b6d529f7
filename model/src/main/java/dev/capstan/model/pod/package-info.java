/**
 * Pod-level derivations shared by the API server, scheduler and node agent: summed resource requests and limits, and
 * the QoS class.
 */
package dev.capstan.model.pod;
