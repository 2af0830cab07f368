package io.wenzhen.protocols.sdp;

import java.util.ArrayList;
import java.util.List;

import io.wenzhen.protocols.MalformedPacketException;

/**
 * An SDP offer or answer (RFC 8866) as WebRTC uses it: session-level attributes and the media
 * sections, each with its attributes in order. Parsing is strict about structure and bounded in size;
 * unknown lines and attributes are kept, not interpreted.
 */
public record SessionDescription(String origin, List<Attribute> attributes, List<MediaDescription> media) {

    public static final int MAX_LENGTH = 64 * 1024;
    public static final int MAX_LINE = 4096;
    public static final int MAX_MEDIA = 64;

    /** {@code a=name:value} ({@code value} empty for a flag such as {@code a=rtcp-mux}). */
    public record Attribute(String name, String value) {

        static Attribute parse(String text) {
            int colon = text.indexOf(':');
            return colon < 0 ? new Attribute(text, "") : new Attribute(text.substring(0, colon), text.substring(colon + 1));
        }

        @Override
        public String toString() {
            return value.isEmpty() ? name : name + ":" + value;
        }
    }

    public static SessionDescription parse(String sdp) {
        if (sdp == null || sdp.isEmpty()) {
            throw new MalformedPacketException("empty SDP");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new MalformedPacketException("SDP longer than " + MAX_LENGTH);
        }
        String[] lines = sdp.split("\r?\n");
        // split drops trailing empty strings: "\n" alone gives no line at all (Jazzer found it)
        if (lines.length == 0 || !"v=0".equals(lines[0])) {
            throw new MalformedPacketException("SDP must start with v=0");
        }
        String origin = null;
        List<Attribute> session = new ArrayList<>();
        List<MediaDescription.Builder> media = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE) {
                throw new MalformedPacketException("SDP line longer than " + MAX_LINE);
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new MalformedPacketException("not an SDP line: " + abbreviate(line));
            }
            char kind = line.charAt(0);
            String value = line.substring(2);
            MediaDescription.Builder current = media.isEmpty() ? null : media.get(media.size() - 1);
            switch (kind) {
                case 'o' -> {
                    if (current != null) {
                        throw new MalformedPacketException("o= inside a media section");
                    }
                    origin = value;
                }
                case 'm' -> {
                    if (media.size() == MAX_MEDIA) {
                        throw new MalformedPacketException("more than " + MAX_MEDIA + " media sections");
                    }
                    media.add(MediaDescription.Builder.fromMediaLine(value));
                }
                case 'a' -> {
                    if (current == null) {
                        session.add(Attribute.parse(value));
                    } else {
                        current.attribute(Attribute.parse(value));
                    }
                }
                case 'c', 'b', 'i', 'k' -> {
                    if (current != null) {
                        current.line(kind, value);
                    }
                }
                default -> {
                    // s=, t=, z=, e=, p=, u=, r=: session information the SFU does not use
                }
            }
        }
        if (origin == null) {
            throw new MalformedPacketException("SDP has no o= line");
        }
        return new SessionDescription(origin, List.copyOf(session), media.stream().map(MediaDescription.Builder::build).toList());
    }

    /** The first session-level attribute called {@code name}, or null. */
    public String attribute(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute.value();
            }
        }
        return null;
    }

    /** The mids of {@code a=group:BUNDLE}, or an empty list. */
    public List<String> bundle() {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals("group") && attribute.value().startsWith("BUNDLE")) {
                String rest = attribute.value().substring("BUNDLE".length()).trim();
                return rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
            }
        }
        return List.of();
    }

    private static String abbreviate(String line) {
        return line.length() > 40 ? line.substring(0, 40) + "…" : line;
    }
}
