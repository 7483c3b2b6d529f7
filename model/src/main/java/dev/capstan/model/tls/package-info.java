/** Serving keys for TLS endpoints, read from PEM files without a keystore. */
package dev.capstan.model.tls;
