/**
 * Kubernetes API types and the internal gRPC protocol shared by every Capstan component. The types arrive
 * with the API server issue; until then this module only fixes the place in the build.
 */
package dev.capstan.model;
