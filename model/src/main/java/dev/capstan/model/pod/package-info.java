/**
 * Pod-level derivations shared by the API server, scheduler and node agent: summed resource requests and limits, the
 * QoS class, the $(VAR) expansion, and the options of a container's log.
 */
package dev.capstan.model.pod;
