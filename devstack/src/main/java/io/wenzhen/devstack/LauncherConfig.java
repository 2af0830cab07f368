package io.wenzhen.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./wenzhen up} is told by its arguments and environment variables (documented in the README).
 *
 * @param publicBind {@code --public}: the services listen on every interface, not only on 127.0.0.1
 * @param gateways {@code --gateways N}: how many media-gateways (1 to {@link #MAX_GATEWAYS}), gateway k on
 *     the first one's ports + 10k
 * @param turn {@code --turn}: run coturn (Debian's turnserver) and hand its credentials to clients
 */
public record LauncherConfig(Path home, Path dataDir, boolean fresh, boolean publicBind, int gateways, boolean turn,
        Map<String, String> env) {

    /** Gateway k's ports are the first one's + 10k: nine keep HTTP (8080 … 8160) clear of the other services' ports. */
    public static final int MAX_GATEWAYS = 9;
    static final int GATEWAY_PORT_STEP = 10;

    /** One gateway's ports: HTTP and WebSocket, media (UDP, and ICE-TCP unless -1), RTMP (-1: off, 0: any free one). */
    public record GatewayPorts(int index, int http, int media, int mediaTcp, int rtmp, int pipe) {
    }

    /** The four services, in start order, with their port variables and defaults. */
    public enum Service {
        AUTH("auth-service", "WENZHEN_AUTH_PORT", 8081),
        ROOM("room-service", "WENZHEN_ROOM_PORT", 8082),
        GATEWAY("media-gateway", "WENZHEN_GATEWAY_PORT", 8080),
        QUALITY("quality-service", "WENZHEN_QUALITY_PORT", 8083);

        private final String module;
        private final String portVariable;
        private final int defaultPort;

        Service(String module, String portVariable, int defaultPort) {
            this.module = module;
            this.portVariable = portVariable;
            this.defaultPort = defaultPort;
        }

        public String module() {
            return module;
        }
    }

    static LauncherConfig fromEnvironment(List<String> args) {
        return from(args, System.getenv());
    }

    static LauncherConfig from(List<String> args, Map<String, String> env) {
        boolean fresh = false;
        boolean publicBind = false;
        boolean turn = false;
        int gateways = 1;
        Path data = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--fresh" -> fresh = true;
                case "--public" -> publicBind = true;
                case "--turn" -> turn = true;
                case "--data" -> {
                    if (i + 1 >= args.size()) {
                        throw new DevstackException("--data needs a folder");
                    }
                    data = Path.of(args.get(++i));
                }
                case "--gateways" -> {
                    String count = i + 1 < args.size() ? args.get(++i) : "";
                    try {
                        gateways = Integer.parseInt(count);
                    } catch (NumberFormatException e) {
                        gateways = 0;
                    }
                    if (gateways < 1 || gateways > MAX_GATEWAYS) {
                        throw new DevstackException("--gateways takes a number from 1 to " + MAX_GATEWAYS + ", not '" + count + "'");
                    }
                }
                default -> throw new DevstackException("unknown option " + args.get(i)
                        + " (up takes --fresh, --public, --turn, --gateways N and --data DIR)");
            }
        }
        Path home = Path.of(env.getOrDefault("WENZHEN_HOME", ".")).toAbsolutePath().normalize();
        if (data == null) {
            data = env.containsKey("WENZHEN_DATA") ? Path.of(env.get("WENZHEN_DATA")) : home.resolve(".wenzhen");
        }
        return new LauncherConfig(home, data.toAbsolutePath().normalize(), fresh, publicBind, gateways, turn, env);
    }

    /** The address every service, the media port and RTMP listen on. */
    public String bindAddress() {
        return publicBind ? "0.0.0.0" : "127.0.0.1";
    }

    public int port(Service service) {
        return intVariable(service.portVariable, service.defaultPort);
    }

    /** Gateway k's ports: the first gateway's (its variables, or 8080, 40000, 1935 and 40001) + 10k; off stays off, any stays any. */
    public GatewayPorts gateway(int k) {
        int step = GATEWAY_PORT_STEP * k;
        int media = intVariable("WENZHEN_GATEWAY_MEDIA_PORT", 40000, true);
        // -1 turns ICE-TCP off (the gateway's own setting); unset, it shares the media port's number
        int mediaTcp = "-1".equals(String.valueOf(env.get("WENZHEN_GATEWAY_MEDIA_TCP_PORT")).strip()) ? -1
                : intVariable("WENZHEN_GATEWAY_MEDIA_TCP_PORT", media, true);
        int rtmp = "-1".equals(String.valueOf(env.get("WENZHEN_GATEWAY_RTMP_PORT")).strip()) ? -1
                : intVariable("WENZHEN_GATEWAY_RTMP_PORT", 1935, true);
        int pipe = intVariable("WENZHEN_GATEWAY_PIPE_PORT", 40001, true);
        return new GatewayPorts(k, port(Service.GATEWAY) + step, media == 0 ? 0 : media + step,
                mediaTcp <= 0 ? mediaTcp : mediaTcp + step, rtmp <= 0 ? rtmp : rtmp + step, pipe == 0 ? 0 : pipe + step);
    }

    /**
     * The host clients reach coturn by: WENZHEN_TURN_ADDRESS, else (with --public) the gateway's media
     * address, else 127.0.0.1.
     */
    public String turnHost() {
        String given = blankToNull(env.get("WENZHEN_TURN_ADDRESS"));
        if (given != null) {
            return given;
        }
        String media = blankToNull(env.get("WENZHEN_GATEWAY_MEDIA_ADDRESS"));
        return publicBind && media != null ? media : "127.0.0.1";
    }

    /** The address the gateways announce for media (WENZHEN_GATEWAY_MEDIA_ADDRESS, else the gateway's default). */
    public String gatewayMediaAddress() {
        String media = blankToNull(env.get("WENZHEN_GATEWAY_MEDIA_ADDRESS"));
        return media == null ? "127.0.0.1" : media;
    }

    /** coturn's port (UDP and TCP), with --turn. */
    public int turnPort() {
        return intVariable("WENZHEN_TURN_PORT", 3478);
    }

    public int kafkaPort() {
        return intVariable("WENZHEN_KAFKA_PORT", 19092);
    }

    public int postgresPort() {
        return intVariable("WENZHEN_POSTGRES_PORT", 15432);
    }

    public String externalKafka() {
        return blankToNull(env.get("WENZHEN_KAFKA_BOOTSTRAP"));
    }

    public String externalPostgresUrl() {
        return blankToNull(env.get("WENZHEN_POSTGRES_URL"));
    }

    public String externalPostgresUser() {
        return env.getOrDefault("WENZHEN_POSTGRES_USER", "wenzhen");
    }

    public String externalPostgresPassword() {
        return env.getOrDefault("WENZHEN_POSTGRES_PASSWORD", "");
    }

    /** Every port this run would listen on must be free, or nothing starts: a one-line error names the first taken. */
    void checkPortsFree() {
        List<String[]> wanted = new ArrayList<>();
        for (Service service : Service.values()) {
            if (service != Service.GATEWAY) {
                wanted.add(new String[] {Integer.toString(port(service)), service.module, service.portVariable});
            }
        }
        if (externalKafka() == null) {
            wanted.add(new String[] {Integer.toString(kafkaPort()), "Kafka", "WENZHEN_KAFKA_PORT"});
            wanted.add(new String[] {Integer.toString(kafkaPort() + 1), "Kafka's controller", "WENZHEN_KAFKA_PORT"});
        }
        if (turn) {
            if (!Ports.isUdpFree(turnPort())) {
                throw new DevstackException("UDP port " + turnPort() + " (TURN) is already in use; stop what holds it or set WENZHEN_TURN_PORT");
            }
            wanted.add(new String[] {Integer.toString(turnPort()), "TURN", "WENZHEN_TURN_PORT"});
        }
        if (externalPostgresUrl() == null) {
            wanted.add(new String[] {Integer.toString(postgresPort()), "PostgreSQL", "WENZHEN_POSTGRES_PORT"});
        }
        for (int k = 0; k < gateways; k++) {
            GatewayPorts ports = gateway(k);
            String which = gateways == 1 ? "the gateway's" : "gateway " + k + "'s";
            String shift = k == 0 ? "" : " (gateway 0's + " + GATEWAY_PORT_STEP * k + ")";
            wanted.add(new String[] {Integer.toString(ports.http()), which + " HTTP port" + shift, "WENZHEN_GATEWAY_PORT"});
            if (ports.media() > 65535) {
                throw new DevstackException("UDP port " + ports.media() + " (" + which + " media port" + shift
                        + ") is past 65535; lower WENZHEN_GATEWAY_MEDIA_PORT or --gateways");
            }
            if (ports.media() > 0 && !Ports.isUdpFree(ports.media())) {
                throw new DevstackException("UDP port " + ports.media() + " (" + which + " media port" + shift
                        + ") is already in use; stop what holds it or set WENZHEN_GATEWAY_MEDIA_PORT");
            }
            if (ports.pipe() > 0 && !Ports.isUdpFree(ports.pipe())) {
                throw new DevstackException("UDP port " + ports.pipe() + " (" + which + " pipe port" + shift
                        + ") is already in use; stop what holds it or set WENZHEN_GATEWAY_PIPE_PORT");
            }
            if (ports.mediaTcp() > 0) {
                wanted.add(new String[] {Integer.toString(ports.mediaTcp()), which + " ICE-TCP port" + shift, "WENZHEN_GATEWAY_MEDIA_TCP_PORT"});
            }
            if (ports.rtmp() > 0) {
                wanted.add(new String[] {Integer.toString(ports.rtmp()), which + " RTMP port" + shift, "WENZHEN_GATEWAY_RTMP_PORT"});
            }
        }
        Map<String, String> taken = new HashMap<>();
        for (String[] port : wanted) {
            int number = Integer.parseInt(port[0]);
            if (number > 65535) {
                throw new DevstackException("port " + number + " (" + port[1] + ") is past 65535; lower " + port[2] + " or --gateways");
            }
            String other = taken.putIfAbsent(port[0], port[1]);
            if (other != null) {
                throw new DevstackException("port " + number + " would be both " + other + " and " + port[1] + "; set " + port[2] + " apart");
            }
        }
        for (String[] port : wanted) {
            if (!Ports.isFree(Integer.parseInt(port[0]))) {
                throw new DevstackException("port " + port[0] + " (" + port[1] + ") is already in use; stop what holds it or set "
                        + port[2]);
            }
        }
    }

    private int intVariable(String name, int fallback) {
        return intVariable(name, fallback, false);
    }

    private int intVariable(String name, int fallback, boolean zeroAllowed) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new DevstackException(name + "=" + value + " is not a port number");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
