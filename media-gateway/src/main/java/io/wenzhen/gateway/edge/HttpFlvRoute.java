package io.wenzhen.gateway.edge;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wenzhen.gateway.errors.GatewayError;
import io.wenzhen.protocols.flv.FlvTag;
import io.wenzhen.protocols.flv.FlvWriter;

/**
 * HTTP-FLV playback for live-player at {@code GET /live/{appId}/{streamID}.flv?key=…}: an endless
 * chunked response of FLV. A refused key is 403 with the documented code in a JSON body.
 */
@ApplicationScoped
public class HttpFlvRoute {

    private static final Logger LOG = Logger.getLogger(HttpFlvRoute.class);

    @Inject
    EdgeAccess access;

    @Inject
    EdgeMetrics metrics;

    void routes(@Observes Router router) {
        router.get("/live/:appId/:file").handler(this::play);
    }

    private void play(RoutingContext context) {
        String file = context.pathParam("file");
        if (file == null || !file.endsWith(".flv")) {
            context.next();
            return;
        }
        String appId = context.pathParam("appId");
        String streamId = file.substring(0, file.length() - 4);
        HttpServerResponse response = context.response();
        EdgeAccess.Grant grant;
        try {
            grant = access.admit(context.request().getParam("key"), StreamKeys.Action.PLAY, appId, streamId);
            access.checkPlayable(grant.source());
        } catch (EdgeRefusal e) {
            metrics.refused();
            int status = e.error() == GatewayError.CODEC_NOT_PLAYABLE ? 409 : 403;
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("code", e.error().code()).put("error", e.error().name())
                            .put("message", e.error().message()).encode());
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "video/x-flv").putHeader("Cache-Control", "no-cache, no-store")
                .putHeader("Access-Control-Allow-Origin", "*"); // the key is the capability, not the page's origin
        response.write(Buffer.buffer(FlvWriter.header(true, true)));
        String label = "http-flv " + context.request().remoteAddress();
        FlvSubscriber sink = access.subscribe(grant, new Output(response), label);
        // the player went away; every other end (stopPlay, the publisher, a slow player) comes through the sink's close
        context.request().connection().closeHandler(closed -> sink.close());
        if (response.closed()) {
            sink.close(); // gone before the handler was set
        }
        metrics.connected("flv-play");
        LOG.infof("%s playing %s/%s for session %s", label, appId, streamId, grant.session().id());
    }

    /** Tags onto the chunked response; Vert.x writes are safe from the subscriber's own thread. */
    private record Output(HttpServerResponse response) implements FlvSubscriber.Output {

        @Override
        public void write(FlvTag tag) throws IOException {
            if (response.closed() || response.ended()) {
                throw new IOException("the player closed the connection");
            }
            response.write(Buffer.buffer(FlvWriter.tag(tag)));
        }

        @Override
        public boolean congested() {
            return response.writeQueueFull();
        }

        @Override
        public void close() {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        }
    }
}
