package io.wenzhen.gateway.webrtc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.protocols.dtls.DtlsCertificate;

/** Opens the media port and makes the SFU, with a DTLS certificate of this gateway's own (made at start). */
@ApplicationScoped
public class SfuBootstrap {

    private static final Logger LOG = Logger.getLogger(SfuBootstrap.class);
    private Sfu sfu;

    @Produces
    @Singleton
    Sfu sfu(GatewayConfig config) {
        try {
            MediaPort port = new MediaPort(new InetSocketAddress(config.mediaPort()));
            InetSocketAddress announced = new InetSocketAddress(InetAddress.getByName(config.mediaAddress()), port.port());
            sfu = new Sfu(port, DtlsCertificate.generate("wenzhen-gateway", Duration.ofDays(30)), announced,
                    config.videoCodecs());
            LOG.infof("media port (ICE-lite, UDP) on %d, announced as %s", port.port(), announced);
            return sfu;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the media port " + config.mediaPort(), e);
        }
    }

    @PreDestroy
    void close() {
        if (sfu != null) {
            sfu.close();
        }
    }
}
