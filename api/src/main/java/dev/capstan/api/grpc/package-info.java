/**
 * The internal gRPC API (capstan.v1.Api) for Capstan's own components: the same resources and semantics as
 * the REST API, objects as Kubernetes JSON bytes, errors as gRPC status codes carrying the Kubernetes Status.
 */
package dev.capstan.api.grpc;
