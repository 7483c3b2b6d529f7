/**
 * The EndpointSlice mirroring controller: mirrors the custom Endpoints of Services without a selector into
 * EndpointSlices, one slice per subset, so that consumers of slices see them too.
 */
package dev.capstan.controllers.endpointslicemirroring;
