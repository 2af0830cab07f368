package io.wenzhen.protocols.dtls;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.Locale;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

import io.wenzhen.protocols.srtp.SrtpProfile;

/** What both ends of DTLS-SRTP do alike: sign with our certificate, check the peer's, export the keys. */
final class DtlsSrtpSupport {

    private DtlsSrtpSupport() {
    }

    static TlsCredentialedSigner signer(TlsContext context, TlsCrypto crypto, DtlsCertificate certificate)
            throws IOException {
        TlsCertificate tls = crypto.createCertificate(certificate.der());
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (JcaTlsCrypto) crypto,
                certificate.keys().getPrivate(), new Certificate(new TlsCertificate[] {tls}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** The peer's certificate must be the one whose fingerprint its SDP announced (compared without case). */
    static void verifyPeer(Certificate peer, String expectedFingerprint) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }
        String actual = DtlsCertificate.fingerprintOf(peer.getCertificateAt(0).getEncoded()).toUpperCase(Locale.ROOT);
        String expected = expectedFingerprint.trim().toUpperCase(Locale.ROOT);
        if (!MessageDigest.isEqual(actual.getBytes(), expected.getBytes())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    static SrtpKeyMaterial exportKeys(TlsContext context, SrtpProfile profile) {
        return SrtpKeyMaterial.split(profile, context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                SrtpKeyMaterial.length(profile)));
    }
}
