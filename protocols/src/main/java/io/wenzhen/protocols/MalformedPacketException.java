package io.wenzhen.protocols;

/**
 * Input that is not a well-formed packet of the protocol being parsed. Parsers throw only this (never
 * an index or arithmetic exception), so a caller can drop the packet and carry on.
 */
public class MalformedPacketException extends RuntimeException {

    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
