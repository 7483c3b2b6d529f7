/** Label and field selectors: parsing Kubernetes' selector syntax and matching objects against it. */
package dev.capstan.api.selection;
