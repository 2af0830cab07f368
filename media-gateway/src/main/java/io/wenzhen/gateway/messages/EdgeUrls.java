package io.wenzhen.gateway.messages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The addresses of the mini-program edge as clients reach it: {@code rtmp://host:1935/live/{appId}/{streamID}}
 * and {@code http://host:8080/live/{appId}/{streamID}.flv}, with {@code ?key=…} when handed to one client
 * (and {@code &gw=…}, the serving gateway, on an FLV address).
 */
public record EdgeUrls(String rtmpBase, String flvBase) {

    public String rtmp(long appId, String streamId) {
        return rtmpBase + "/live/" + appId + "/" + streamId;
    }

    public String flv(long appId, String streamId) {
        return flvBase + "/live/" + appId + "/" + streamId + ".flv";
    }

    public static String withKey(String url, String key) {
        return url + "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /**
     * With the key, and for an HTTP-FLV address the gateway that serves the stream ({@code gw}): behind one
     * public address (an Ingress) the request may reach another gateway, which relays it there.
     */
    public static String withKey(String url, String key, String gateway) {
        String keyed = withKey(url, key);
        return url.startsWith("http") ? keyed + "&gw=" + URLEncoder.encode(gateway, StandardCharsets.UTF_8) : keyed;
    }
}
