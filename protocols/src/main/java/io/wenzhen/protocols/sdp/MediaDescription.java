package io.wenzhen.protocols.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wenzhen.protocols.MalformedPacketException;
import io.wenzhen.protocols.sdp.SessionDescription.Attribute;

/** One {@code m=} section: kind, port, protocol, payload formats and attributes, with WebRTC's readers. */
public record MediaDescription(String kind, int port, String protocol, List<String> formats, List<Attribute> attributes,
        Map<Character, List<String>> otherLines) {

    /** A payload type's codec from {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb}. */
    public record Codec(int payloadType, String name, int clockRate, int channels, String fmtp, List<String> feedback) {
    }

    public String attribute(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute.value();
            }
        }
        return null;
    }

    public List<String> attributes(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).map(Attribute::value).toList();
    }

    public boolean has(String name) {
        return attribute(name) != null;
    }

    public String mid() {
        return attribute("mid");
    }

    /** sendrecv, sendonly, recvonly or inactive (sendrecv when none is given). */
    public String direction() {
        for (String direction : List.of("sendonly", "recvonly", "inactive", "sendrecv")) {
            if (has(direction)) {
                return direction;
            }
        }
        return "sendrecv";
    }

    /** Codecs in the order of the m= line's formats; formats without rtpmap are left out. */
    public List<Codec> codecs() {
        Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            int space = attribute.value().indexOf(' ');
            if (space <= 0) {
                continue;
            }
            Integer pt = payloadType(attribute.value().substring(0, space));
            if (pt == null) {
                continue;
            }
            String rest = attribute.value().substring(space + 1).trim();
            switch (attribute.name()) {
                case "rtpmap" -> rtpmaps.put(pt, rest.split("/"));
                case "fmtp" -> fmtps.put(pt, rest);
                case "rtcp-fb" -> feedback.computeIfAbsent(pt, k -> new ArrayList<>()).add(rest);
                default -> {
                }
            }
        }
        List<Codec> codecs = new ArrayList<>();
        for (String format : formats) {
            Integer pt = payloadType(format);
            String[] map = pt == null ? null : rtpmaps.get(pt);
            if (map == null || map.length < 2) {
                continue;
            }
            int clock;
            int channels;
            try {
                clock = Integer.parseInt(map[1]);
                channels = map.length > 2 ? Integer.parseInt(map[2]) : 1;
            } catch (NumberFormatException e) {
                continue;
            }
            codecs.add(new Codec(pt, map[0], clock, channels, fmtps.getOrDefault(pt, ""),
                    List.copyOf(feedback.getOrDefault(pt, List.of()))));
        }
        return List.copyOf(codecs);
    }

    /** Header extension ids by URI, from {@code a=extmap:<id>[/direction] <uri>}. */
    public Map<String, Integer> extensions() {
        Map<String, Integer> byUri = new LinkedHashMap<>();
        for (String extmap : attributes("extmap")) {
            String[] parts = extmap.split("\\s+");
            if (parts.length < 2) {
                continue;
            }
            String id = parts[0].contains("/") ? parts[0].substring(0, parts[0].indexOf('/')) : parts[0];
            try {
                int value = Integer.parseInt(id);
                if (value >= 1 && value <= 255) {
                    byUri.put(parts[1], value);
                }
            } catch (NumberFormatException ignored) {
                // not a valid extmap: skipped
            }
        }
        return byUri;
    }

    /** The SSRCs of {@code a=ssrc:<ssrc> …} lines, in order of first appearance. */
    public List<Long> ssrcs() {
        List<Long> ssrcs = new ArrayList<>();
        for (String line : attributes("ssrc")) {
            String first = line.split("\\s+", 2)[0];
            try {
                long ssrc = Long.parseLong(first);
                if (ssrc >= 0 && ssrc <= 0xFFFF_FFFFL && !ssrcs.contains(ssrc)) {
                    ssrcs.add(ssrc);
                }
            } catch (NumberFormatException ignored) {
                // skipped
            }
        }
        return List.copyOf(ssrcs);
    }

    /**
     * The retransmission SSRC paired with each media SSRC by {@code a=ssrc-group:FID <media> <rtx>}
     * (RFC 5576, as WebRTC announces RTX); malformed groups are skipped.
     */
    public Map<Long, Long> rtxSsrcs() {
        Map<Long, Long> pairs = new LinkedHashMap<>();
        for (String group : attributes("ssrc-group")) {
            String[] parts = group.trim().split("\\s+");
            if (parts.length != 3 || !parts[0].equals("FID")) {
                continue;
            }
            try {
                long media = Long.parseLong(parts[1]);
                long rtx = Long.parseLong(parts[2]);
                if (media >= 0 && media <= 0xFFFF_FFFFL && rtx >= 0 && rtx <= 0xFFFF_FFFFL && media != rtx) {
                    pairs.putIfAbsent(media, rtx);
                }
            } catch (NumberFormatException ignored) {
                // skipped
            }
        }
        return pairs;
    }

    /** The RTX codec ({@code rtx/<clock>} with {@code apt=<payloadType>}) that retransmits a payload type, or null. */
    public Codec rtxFor(int payloadType) {
        for (Codec codec : codecs()) {
            if (codec.name().equalsIgnoreCase("rtx") && codec.fmtp().matches("(?:.*;\\s*)?apt=" + payloadType + "(?:\\s*;.*)?")) {
                return codec;
            }
        }
        return null;
    }

    private static Integer payloadType(String text) {
        try {
            int pt = Integer.parseInt(text.trim());
            return pt >= 0 && pt <= 127 ? pt : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static final class Builder {
        private final String kind;
        private final int port;
        private final String protocol;
        private final List<String> formats;
        private final List<Attribute> attributes = new ArrayList<>();
        private final Map<Character, List<String>> other = new LinkedHashMap<>();

        private Builder(String kind, int port, String protocol, List<String> formats) {
            this.kind = kind;
            this.port = port;
            this.protocol = protocol;
            this.formats = formats;
        }

        static Builder fromMediaLine(String value) {
            String[] parts = value.trim().split("\\s+");
            if (parts.length < 3) {
                throw new MalformedPacketException("m= needs media, port and protocol");
            }
            int port;
            try {
                port = Integer.parseInt(parts[1].contains("/") ? parts[1].substring(0, parts[1].indexOf('/')) : parts[1]);
            } catch (NumberFormatException e) {
                throw new MalformedPacketException("m= port is not a number");
            }
            if (port < 0 || port > 65535) {
                throw new MalformedPacketException("m= port out of range");
            }
            return new Builder(parts[0], port, parts[2], List.of(parts).subList(3, parts.length));
        }

        void attribute(Attribute attribute) {
            if (attributes.size() >= 1024) {
                throw new MalformedPacketException("too many attributes in a media section");
            }
            attributes.add(attribute);
        }

        void line(char kind, String value) {
            other.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
        }

        MediaDescription build() {
            Map<Character, List<String>> lines = new LinkedHashMap<>();
            other.forEach((k, v) -> lines.put(k, List.copyOf(v)));
            return new MediaDescription(kind, port, protocol, List.copyOf(formats), List.copyOf(attributes), lines);
        }
    }
}
