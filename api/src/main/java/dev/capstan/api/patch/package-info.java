/**
 * The PATCH formats on JSON trees: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and Kubernetes strategic
 * merge patch, whose list semantics come from a {@link dev.capstan.api.patch.PatchSchema}.
 */
package dev.capstan.api.patch;
