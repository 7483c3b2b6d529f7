/**
 * The namespace controller: empties a namespace that is being deleted of every namespaced object, reports progress
 * in its status conditions, and removes the "kubernetes" finalizer once nothing is left.
 */
package dev.capstan.controllers.namespace;
