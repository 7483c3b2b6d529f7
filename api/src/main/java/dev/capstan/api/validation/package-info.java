/**
 * kube-apiserver 1.32's defaulting and field validation of each kind, on JSON objects, with upstream's paths
 * and messages; the kinds' strategies call it through Validators, Defaulting and the per-family classes.
 */
package dev.capstan.api.validation;
