/**
 * The endpoints controller: keeps one Endpoints object per Service with a selector, listing the addresses of the pods
 * it selects, and the pod-to-endpoint rules (readiness, named ports, hostnames) the EndpointSlice controllers share.
 */
package dev.capstan.controllers.endpoints;
