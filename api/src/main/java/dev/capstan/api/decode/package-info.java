/**
 * Strict decoding of request bodies as kube-apiserver's JSON serializer does it (sigs.k8s.io/json over Go's
 * encoding/json): every value checked against the kind's Go types, compiled once per kind from its OpenAPI schema.
 */
package dev.capstan.api.decode;
