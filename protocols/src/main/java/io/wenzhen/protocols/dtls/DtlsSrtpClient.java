package io.wenzhen.protocols.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The offering side of DTLS-SRTP on BouncyCastle, as a browser plays it: for synthetic publishers and
 * players (tests, benchmarks) and, later, for links between gateways.
 */
public class DtlsSrtpClient extends DefaultTlsClient {

    private final DtlsCertificate certificate;
    private final String expectedServerFingerprint;
    private int profile;
    private volatile SrtpKeyMaterial keys;

    public DtlsSrtpClient(DtlsCertificate certificate, String expectedServerFingerprint) {
        super(new JcaTlsCryptoProvider().create(new SecureRandom()));
        this.certificate = certificate;
        this.expectedServerFingerprint = expectedServerFingerprint;
    }

    public SrtpKeyMaterial keys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
        profile = chosen.getProtectionProfiles()[0];
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                DtlsSrtpSupport.verifyPeer(serverCertificate.getCertificate(), expectedServerFingerprint);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsSrtpSupport.signer(context, getCrypto(), certificate);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsSrtpSupport.exportKeys(context, profile);
    }
}
