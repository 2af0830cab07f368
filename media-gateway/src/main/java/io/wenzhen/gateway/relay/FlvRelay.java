package io.wenzhen.gateway.relay;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wenzhen.gateway.config.GatewayIdentity;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.gateway.peers.GatewayDirectory;

/**
 * HTTP-FLV for a stream another gateway serves: behind one public address (the Ingress) a live-player's
 * request reaches any gateway, and its address names the gateway that handed it out ({@code gw}, the room's
 * home). This gateway then relays the request there over the internal network and streams the answer back,
 * unchanged; the home checks the key. Requests for this gateway, or without {@code gw}, go on to the edge.
 */
@ApplicationScoped
public class FlvRelay {

    private static final Logger LOG = Logger.getLogger(FlvRelay.class);
    /** Before the edge's own route: the relay decides first. */
    static final int ORDER = -100;

    @Inject
    Vertx vertx;

    @Inject
    GatewayDirectory peers;

    @Inject
    GatewayIdentity identity;

    private HttpClient client;

    @PostConstruct
    void start() {
        // a connection per relayed player, closed with it: no pool limit to queue behind (Vert.x's default is 5),
        // and no kept-alive connection that one player's leaving would cut under another
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(SignalingRelay.CONNECT_TIMEOUT_MS)
                .setKeepAlive(false).setMaxPoolSize(SignalingRelay.MAX_RELAYS_PER_HOME));
    }

    void routes(@Observes Router router) {
        router.get("/live/:appId/:file").order(ORDER).handler(this::route);
    }

    private void route(RoutingContext context) {
        String gateway = context.request().getParam("gw");
        if (gateway == null || gateway.equals(identity.id()) || !context.pathParam("file").endsWith(".flv")) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response();
        GatewayDirectory.Peer peer = peers.find(gateway).orElse(null);
        if (peer == null) {
            refuse(response, GatewayError.STREAM_KEY_INVALID); // the gateway it names is gone: new addresses are needed
            return;
        }
        // the peer's HTTP port is its signaling URL's
        String base = peer.signalingUrl().replaceFirst("^ws", "http").replaceFirst("/ws$", "");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(base + context.request().uri());
        context.request().pause();
        client.request(options).compose(request -> request.send()).onComplete(result -> {
            if (result.failed()) {
                LOG.debugf("FLV relay to %s failed: %s", gateway, result.cause().toString());
                context.request().resume();
                refuse(response, GatewayError.STREAM_KEY_INVALID); // the gateway it names is gone: new addresses are needed
                return;
            }
            var upstream = result.result();
            response.setStatusCode(upstream.statusCode());
            upstream.headers().forEach(header -> {
                if (!header.getKey().equalsIgnoreCase("content-length") && !header.getKey().equalsIgnoreCase("transfer-encoding")) {
                    response.putHeader(header.getKey(), header.getValue());
                }
            });
            response.setChunked(true);
            // the player leaving ends the home's stream too
            context.request().connection().closeHandler(closed -> upstream.request().reset());
            upstream.pipeTo(response);
            context.request().resume();
        });
    }

    private static void refuse(HttpServerResponse response, GatewayError error) {
        response.setStatusCode(404).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("code", error.code()).put("error", error.name()).put("message", error.message()).encode());
    }
}
