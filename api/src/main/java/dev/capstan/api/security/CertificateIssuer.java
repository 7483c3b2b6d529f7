package dev.capstan.api.security;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Creates keys and certificates with the JDK's providers; Bouncy Castle only assembles the X.509 structures. */
final class CertificateIssuer {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVING_VALIDITY = Duration.ofDays(365);
    /** Backdating tolerates clients whose clocks run a little behind ours. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateIssuer() {}

    /** EC P-256: generated in milliseconds, unlike RSA, and accepted by every TLS client that matters. */
    static KeyPair newKeyPair() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("EC P-256 is unavailable in this JDK", e);
        }
    }

    static X509Certificate selfSignedCa(KeyPair keys, Instant now) throws IOException {
        X500Principal name = new X500Principal("CN=capstan-ca");
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name,
                            serial(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(now.plus(CA_VALIDITY)),
                            name,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the CA certificate", e);
        }
    }

    /** A serving certificate for key, valid for a year but never beyond the CA (a chain is only as valid as its CA). */
    static X509Certificate serving(
            X509Certificate ca, PrivateKey caKey, PublicKey key, SubjectAltNames names, Instant now)
            throws IOException {
        Instant notAfter = now.plus(SERVING_VALIDITY);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            ca,
                            serial(),
                            Date.from(now.minus(CLOCK_SKEW)),
                            Date.from(notAfter),
                            new X500Principal("CN=capstan-apiserver"),
                            key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    // digitalSignature is what an ECDHE handshake uses the key for; JDK clients check it
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, generalNames(names))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            return sign(builder, caKey);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the serving certificate", e);
        }
    }

    /** Whether key is the private half of cert's public key, checked by signing a challenge. */
    static boolean isKeyOf(PrivateKey key, X509Certificate cert) {
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            String algorithm = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** EC is what we generate; RSA is accepted for a CA an operator brought along. */
    private static String signatureAlgorithm(PrivateKey key) throws GeneralSecurityException {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    /** Random, positive and at most 20 octets, as RFC 5280 asks. */
    private static BigInteger serial() {
        return new BigInteger(128, RANDOM).add(BigInteger.ONE);
    }

    private static GeneralNames generalNames(SubjectAltNames names) {
        Stream<GeneralName> dns = names.dnsNames().stream().map(name -> new GeneralName(GeneralName.dNSName, name));
        Stream<GeneralName> ip = names.ips().stream()
                .map(addr -> new GeneralName(GeneralName.iPAddress, new DEROctetString(addr.getAddress())));
        return new GeneralNames(Stream.concat(dns, ip).toArray(GeneralName[]::new));
    }
}
