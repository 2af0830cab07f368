package io.wenzhen.protocols.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

import io.wenzhen.protocols.srtp.SrtpProfile;

/**
 * The gateway's side of a DTLS-SRTP handshake (RFC 5764) on BouncyCastle: DTLS 1.2, ECDHE-ECDSA,
 * a client certificate required and checked against the fingerprint from the client's SDP, and the
 * use_srtp extension settled on AEAD_AES_128_GCM when the client offers it, else AES128_CM_HMAC_SHA1_80. Use it with BouncyCastle's DTLSServerProtocol.
 */
public class DtlsSrtpServer extends DefaultTlsServer {

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    /** The profiles the gateway accepts, best first. */
    static final List<SrtpProfile> PREFERENCE = List.of(
            SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80);

    private final DtlsCertificate certificate;
    private final String expectedClientFingerprint;
    private SrtpProfile profile;
    private volatile SrtpKeyMaterial keys;

    /**
     * @param expectedClientFingerprint {@code sha-256 AB:…} from the peer's SDP; its certificate must match
     */
    public DtlsSrtpServer(DtlsCertificate certificate, String expectedClientFingerprint) {
        super(new JcaTlsCryptoProvider().create(new SecureRandom()));
        this.certificate = certificate;
        this.expectedClientFingerprint = expectedClientFingerprint;
    }

    /** The exported SRTP keys once the handshake completed, else null. */
    public SrtpKeyMaterial keys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsSrtpSupport.signer(context, getCrypto(), certificate);
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        DtlsSrtpSupport.verifyPeer(clientCertificate, expectedClientFingerprint);
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        // ours first: AES-GCM (one AEAD pass, a 16-byte tag) when the client has it, else AES-CM + HMAC-SHA1
        for (SrtpProfile preferred : PREFERENCE) {
            for (int candidate : offered.getProtectionProfiles()) {
                if (candidate == preferred.id()) {
                    profile = preferred;
                    return;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpSupport.exportKeys(context, profile);
    }

}
