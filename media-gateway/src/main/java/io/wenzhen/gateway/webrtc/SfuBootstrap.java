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

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.wenzhen.gateway.config.AnnouncedAddress;
import io.wenzhen.gateway.config.GatewayConfig;
import io.wenzhen.protocols.dtls.DtlsCertificate;

/** Opens the media port and makes the SFU, with a DTLS certificate of this gateway's own (made at start). */
@ApplicationScoped
public class SfuBootstrap {

    private static final Logger LOG = Logger.getLogger(SfuBootstrap.class);
    private Sfu sfu;
    private PipePort pipes;

    @Produces
    @Singleton
    @Startup // the media port opens (or fails) at start, and the metrics exist from the first scrape
    Sfu sfu(GatewayConfig config, AnnouncedAddress address, MeterRegistry metrics) {
        try {
            int tcpPort = config.mediaTcpPort().orElse(config.mediaPort());
            InetAddress bind = InetAddress.getByName(config.bindAddress());
            MediaPort port = new MediaPort(new InetSocketAddress(bind, config.mediaPort()),
                    tcpPort < 0 ? null : new InetSocketAddress(bind, tcpPort));
            InetSocketAddress announced = new InetSocketAddress(InetAddress.getByName(address.host()), port.port());
            sfu = new Sfu(port, DtlsCertificate.generate("wenzhen-gateway", Duration.ofDays(30)), announced,
                    config.videoCodecs(), config.iceUdp());
            sfu.publisherStartBitrate(config.publisherStartBitrate());
            if (config.impairmentPlayerLoss() > 0) {
                sfu.impairPlayers(config.impairmentPlayerLoss());
                LOG.warnf("impairment on: %.1f%% of video toward players is dropped on purpose", 100 * config.impairmentPlayerLoss());
            }
            LOG.infof("media port (ICE-lite, UDP) on %d, ICE-TCP on %d, announced as %s", port.port(), port.tcpPort(), announced);
            registerMetrics(sfu, metrics);
            return sfu;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the media port " + config.mediaPort(), e);
        }
    }

    /** Gateway-wide figures at /q/metrics; per-stream detail is at /api/v1/media/streams. */
    private static void registerMetrics(Sfu sfu, MeterRegistry metrics) {
        Gauge.builder("wenzhen.sfu.publishers", sfu, s -> s.stats().size())
                .description("streams published on this gateway").register(metrics);
        Gauge.builder("wenzhen.sfu.players", sfu,
                s -> s.stats().stream().mapToInt(x -> x.players().size()).sum())
                .description("subscriptions (players) served by this gateway").register(metrics);
        Gauge.builder("wenzhen.sfu.ingress.bits.per.second", sfu,
                s -> s.stats().stream().mapToLong(x -> x.publisher().bitrateBps()).sum())
                .description("media arriving from publishers, last second").register(metrics);
        Gauge.builder("wenzhen.sfu.publisher.loss.max", sfu,
                s -> s.stats().stream().mapToDouble(x -> x.publisher().lossFraction()).max().orElse(0))
                .description("the worst publisher loss fraction, last second").register(metrics);
        Gauge.builder("wenzhen.sfu.player.loss.max", sfu,
                s -> s.stats().stream().flatMap(x -> x.players().values().stream()).mapToDouble(p -> p.lossFraction()).max().orElse(0))
                .description("the worst loss a player reports").register(metrics);
    }

    /** The pipe port (media pipes between gateways), on the internal address only; opened (or failing) at start. */
    @Produces
    @Singleton
    @Startup
    PipePort pipePort(GatewayConfig config, MeterRegistry metrics) {
        try {
            InetAddress host = InetAddress.getByName(config.pipeHost());
            if (host.isAnyLocalAddress()) {
                // announced to peers as where to send a pipe's media: it must be this gateway's own address
                throw new IllegalArgumentException("wenzhen.gateway.pipe-host is " + config.pipeHost()
                        + ": give this gateway's internal address (Kubernetes: the pod's IP), not a wildcard");
            }
            pipes = new PipePort(new InetSocketAddress(host, config.pipePort()));
            LOG.infof("pipe port (media between gateways) on %s", pipes.address());
            Gauge.builder("wenzhen.pipes.open", pipes, PipePort::pipes).description("media pipes to and from other gateways")
                    .register(metrics);
            Gauge.builder("wenzhen.pipes.refused", pipes, PipePort::refused)
                    .description("datagrams the pipe port dropped: of no pipe, from a wrong address, or not authentic")
                    .register(metrics);
            return pipes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the pipe port " + config.pipeHost() + ":" + config.pipePort(), e);
        }
    }

    @PreDestroy
    void close() {
        if (pipes != null) {
            pipes.close();
        }
        if (sfu != null) {
            sfu.close();
        }
    }
}
