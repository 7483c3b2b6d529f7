/**
 * Admission: plugins that see every write after authorization, mutating ones before the kind's strategy and
 * validating ones after it, as kube-apiserver's admission chain. NamespaceLifecycle is the first plugin.
 */
package dev.capstan.api.admission;
