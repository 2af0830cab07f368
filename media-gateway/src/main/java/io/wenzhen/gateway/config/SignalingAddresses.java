package io.wenzhen.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;

/**
 * This gateway's signaling addresses as its heartbeat announces them: the one peers relay to and the
 * one clients reconnect through (see {@link GatewayConfig#signalingUrl()}, {@link GatewayConfig#publicUrl()}).
 * Read once the HTTP server listens: a random port is known only then.
 */
@ApplicationScoped
public class SignalingAddresses {

    @Inject
    GatewayConfig config;

    private volatile String internal;

    public String signalingUrl() {
        String url = internal;
        if (url == null) {
            url = config.signalingUrl().orElseGet(this::derived);
            internal = url;
        }
        return url;
    }

    public String publicUrl() {
        return config.publicUrl().orElseGet(this::signalingUrl);
    }

    private String derived() {
        String host = "0.0.0.0".equals(config.bindAddress()) || "::".equals(config.bindAddress())
                ? config.mediaAddress() : config.bindAddress();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String portProperty = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = ConfigProvider.getConfig().getOptionalValue(portProperty, Integer.class).orElse(8080);
        return "ws://" + host + ":" + port + "/ws";
    }
}
