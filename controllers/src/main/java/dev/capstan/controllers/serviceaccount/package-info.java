/**
 * The service account controller: keeps a "default" ServiceAccount in every active namespace, creating it for new
 * namespaces and again whenever it is deleted.
 */
package dev.capstan.controllers.serviceaccount;
