package io.wenzhen.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * What one service reads, as the environment variables that set it: the keys of its
 * application.properties, the properties those values refer to ({@code ${name:default}}), its
 * {@code @ConfigMapping} interfaces walked member by member, and the {@code @ConfigProperty} names in
 * its sources and in the modules it builds on. A manifest's variable outside this set configures nothing.
 */
final class ServiceSettings {

    /** Each service's folder → the packages of the shared modules it builds on that read settings. */
    private static final Map<String, List<String>> SHARED_SOURCES = Map.of(
            "auth-service", List.of("outbox"),
            "room-service", List.of("outbox"),
            "quality-service", List.of(),
            "media-gateway", List.of());
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("^package ([\\w.]+);.*@ConfigMapping\\(prefix", Pattern.DOTALL);

    final String service;
    final Properties properties = new Properties();
    /** Names the service reads (exact), and prefixes of map-valued settings (any key below them). */
    final Set<String> names = new TreeSet<>();
    final Set<String> prefixes = new TreeSet<>();

    ServiceSettings(String service) {
        this.service = service;
        Path module = Rendered.ROOT.resolve(service);
        try (InputStream in = Files.newInputStream(module.resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            names.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            Matcher reference = REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                names.add(reference.group(1));
            }
        }
        for (String folder : Stream.concat(Stream.of(service), SHARED_SOURCES.get(service).stream()).toList()) {
            readSources(Rendered.ROOT.resolve(folder).resolve("src/main/java"));
        }
    }

    /** The environment form of a property name (SmallRye's rule: non-alphanumerics to _, upper case). */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    boolean reads(String variable) {
        if (names.stream().anyMatch(name -> env(name).equals(variable))) {
            return true;
        }
        return prefixes.stream().anyMatch(prefix -> variable.startsWith(env(prefix) + "_"));
    }

    /** Whether the service's pom.xml depends on this artifact. */
    boolean buildsWith(String artifactId) {
        try {
            return Files.readString(Rendered.ROOT.resolve(service).resolve("pom.xml")).contains("<artifactId>" + artifactId + "</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value the service's own application.properties gives a property (after its profile-less key). */
    String property(String name) {
        return properties.getProperty(name);
    }

    private void readSources(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher property = CONFIG_PROPERTY.matcher(text);
                while (property.find()) {
                    names.add(property.group(1));
                }
                Matcher mapping = CONFIG_MAPPING.matcher(text);
                if (mapping.find()) {
                    String className = mapping.group(1) + "." + file.getFileName().toString().replace(".java", "");
                    Class<?> type = Class.forName(className, false, ServiceSettings.class.getClassLoader());
                    walk(type.getAnnotation(ConfigMapping.class).prefix(), type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("a @ConfigMapping of " + service + " is not on k8s-check's classpath: " + e.getMessage(), e);
        }
    }

    /** Every leaf setting of a mapping interface: groups (nested interfaces) recursed, maps as prefixes. */
    private void walk(String prefix, Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || method.getParameterCount() > 0 || method.getDeclaringClass() == Object.class) {
                continue;
            }
            WithName renamed = method.getAnnotation(WithName.class);
            String name = prefix + "." + (renamed != null ? renamed.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (Map.class.isAssignableFrom(returned)) {
                prefixes.add(name); // a map of groups (quality's alert rules): any key, any member below it
            } else if (returned.isInterface() && returned.getName().startsWith("io.wenzhen")) {
                walk(name, returned);
            } else if (generic instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments()[0] instanceof Class<?> inner
                    && inner.isInterface() && inner.getName().startsWith("io.wenzhen")) {
                walk(name, inner); // Optional<Group>
            } else {
                names.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The settings of every service, by the container name k8s/ gives it. */
    static Map<String, ServiceSettings> all() {
        Map<String, ServiceSettings> all = new LinkedHashMap<>();
        for (String service : SHARED_SOURCES.keySet().stream().sorted().toList()) {
            all.put(service, new ServiceSettings(service));
        }
        return all;
    }
}
