package io.wenzhen.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * The address clients reach this gateway's media at: the host candidate of every answer and the host
 * of the RTMP addresses. It is media-address, unless the public-addresses file names this gateway's
 * node: on Kubernetes media-address is the node's own address (status.hostIP), which a client cannot
 * reach when the node sits behind 1:1 NAT, and the file (a ConfigMap) maps such nodes to their public
 * addresses.
 */
@ApplicationScoped
public class AnnouncedAddress {

    private static final Logger LOG = Logger.getLogger(AnnouncedAddress.class);

    private final String host;
    private final boolean loopback;

    @Inject
    public AnnouncedAddress(GatewayConfig config) {
        this(config.mediaAddress(), config.nodeName(), config.publicAddressesFile().map(AnnouncedAddress::read));
    }

    AnnouncedAddress(String mediaAddress, Optional<String> node, Optional<List<String>> publicAddresses) {
        Optional<String> mapped = node.flatMap(name -> publicAddresses.flatMap(lines -> lookUp(lines, name)));
        this.host = mapped.orElse(mediaAddress);
        this.loopback = isLoopback(host);
        mapped.ifPresent(address -> LOG.infof("node %s announces its public address %s", node.get(), address));
    }

    /** The address itself (an IP address or a name). */
    public String host() {
        return host;
    }

    /** Whether it is a loopback address, which only clients on this machine can use (resolved once, at start). */
    public boolean loopback() {
        return loopback;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException unresolved) {
            return false;
        }
    }

    /**
     * The address a file of "node-name address" lines gives a node; blank lines and lines starting with
     * # are skipped.
     *
     * @throws IllegalArgumentException on a line that is not two words, or a node listed twice (any node)
     */
    static Optional<String> lookUp(List<String> lines, String node) {
        Optional<String> found = Optional.empty();
        Set<String> listed = new HashSet<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] words = text.split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("public-addresses line " + number + " is not \"node-name address\": " + text);
            }
            // every line is checked, not only this node's: a file one gateway refuses, all refuse
            if (!listed.add(words[0])) {
                throw new IllegalArgumentException("public-addresses names node " + words[0] + " twice (line " + number + ")");
            }
            if (words[0].equals(node)) {
                found = Optional.of(words[1]);
            }
        }
        return found;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public-addresses file " + file, e);
        }
    }
}
