/** Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf), decoded into Kubernetes JSON. */
package dev.capstan.api.protobuf;
