package dev.capstan.api.auth;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a client presented: a bearer token and, over TLS with client authentication, its verified certificate
 * chain (empty today; x509 client certificates and service-account tokens are the next authenticators).
 */
public record Credentials(String bearerToken, List<X509Certificate> clientCertificates) {
    public Credentials {
        bearerToken = bearerToken == null ? "" : bearerToken;
        clientCertificates = List.copyOf(clientCertificates);
    }

    /** The token of an {@code Authorization: Bearer …} header value; none for anything else. */
    public static Credentials fromAuthorizationHeader(String header) {
        String value = header == null ? "" : header;
        String token = value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? value.substring(7).trim()
                : "";
        return new Credentials(token, List.of());
    }
}
