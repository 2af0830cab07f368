package io.wenzhen.gateway.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.wenzhen.gateway.config.GatewayConfig;

/**
 * A fixed kernel send buffer for the gateway's HTTP server (signaling WebSockets, HTTP-FLV, the SDK's
 * files). Left to autotuning, Linux grows a connection's send buffer to 4 MB while its client does not
 * read; 200 stalled sockets from one address would hold 800 MB of the host's TCP memory, which every
 * connection on it shares. Fixed, a stalled reader backs up into {@link BoundedSender} soon and is cut.
 */
@ApplicationScoped
public class ServerSocketBuffers implements HttpServerOptionsCustomizer {

    @Inject
    GatewayConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setSendBufferSize(config.httpSendBufferBytes());
    }
}
