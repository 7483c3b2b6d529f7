/** The OpenAPI v3 documents served under /openapi/v3, generated from the fabric8 model classes. */
package dev.capstan.api.openapi;
