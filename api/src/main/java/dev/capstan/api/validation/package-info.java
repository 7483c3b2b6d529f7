/**
 * kube-apiserver 1.32's defaulting and field validation on JSON objects: {@link dev.capstan.api.validation.Defaulting}
 * fills defaults in place, {@link dev.capstan.api.validation.Validation} returns upstream's 422 causes.
 */
package dev.capstan.api.validation;
