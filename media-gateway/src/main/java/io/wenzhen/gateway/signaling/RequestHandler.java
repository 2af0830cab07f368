package io.wenzhen.gateway.signaling;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.wenzhen.gateway.messages.ClientMessage;
import io.wenzhen.gateway.session.Connection;

/**
 * Answers one type of client request (docs/protocol.md): a bean per type, found by
 * {@link SignalingService}. A refusal is thrown (or the Uni fails) as a SignalingException or
 * TokenException, which the client gets as a failed reply with its code.
 */
public interface RequestHandler {

    /** The request's {@code type}: "login", "publish", … */
    String type();

    /** The reply; a null item when the handler has answered by itself (resume answers before replaying). */
    Uni<ObjectNode> handle(Connection connection, ClientMessage message);
}
