package io.wenzhen.protocols.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.List;

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

import io.wenzhen.protocols.srtp.SrtpProfile;

/**
 * The offering side of DTLS-SRTP on BouncyCastle, as a browser plays it: for synthetic publishers and
 * players (tests, benchmarks) and, later, for links between gateways.
 */
public class DtlsSrtpClient extends DefaultTlsClient {

    private final DtlsCertificate certificate;
    private final String expectedServerFingerprint;
    private final List<SrtpProfile> offered;
    private SrtpProfile profile;
    private volatile SrtpKeyMaterial keys;

    /** Offers AES-GCM then AES-CM, as Chromium does. */
    public DtlsSrtpClient(DtlsCertificate certificate, String expectedServerFingerprint) {
        this(certificate, expectedServerFingerprint, List.of(SrtpProfile.AEAD_AES_128_GCM,
                SrtpProfile.AES128_CM_HMAC_SHA1_80));
    }

    /** Offers these profiles, in this order (a client without AES-GCM offers AES-CM alone). */
    public DtlsSrtpClient(DtlsCertificate certificate, String expectedServerFingerprint,
            List<SrtpProfile> offered) {
        super(new JcaTlsCryptoProvider().create(new SecureRandom()));
        this.certificate = certificate;
        this.expectedServerFingerprint = expectedServerFingerprint;
        this.offered = List.copyOf(offered);
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
                new UseSRTPData(offered.stream().mapToInt(SrtpProfile::id).toArray(), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
        profile = SrtpProfile.byId(chosen.getProtectionProfiles()[0]);
        if (profile == null || !offered.contains(profile)) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
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
