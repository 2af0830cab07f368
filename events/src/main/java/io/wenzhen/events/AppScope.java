package io.wenzhen.events;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which apps the caller of a read API may see: the claim {@code appIds} of a suite JWT (auth-service
 * puts it on every hospital-it token). An admin sees every app; a token with the claim sees the apps it
 * names; any other token (a service's) none by this rule: services read through roles of their own.
 *
 * @param apps the apps named; ignored when {@code global}
 */
public record AppScope(boolean global, Set<Long> apps) {

    /** The JWT claim: a JSON array of AppIDs. */
    public static final String CLAIM = "appIds";
    public static final String ADMIN = "admin";
    public static final AppScope ALL = new AppScope(true, Set.of());

    /**
     * @param roles the token's groups
     * @param claim the {@value #CLAIM} claim as the JWT library gives it (a collection of numbers or
     *              number-like values), or null
     */
    public static AppScope of(Set<String> roles, Object claim) {
        if (roles.contains(ADMIN)) {
            return ALL;
        }
        if (!(claim instanceof Collection<?> values)) {
            return new AppScope(false, Set.of());
        }
        return new AppScope(false, values.stream().map(AppScope::number).filter(v -> v != null).collect(Collectors.toUnmodifiableSet()));
    }

    public boolean allows(long appId) {
        return global || apps.contains(appId);
    }

    private static Long number(Object value) {
        String text = value == null ? "" : value.toString().replace("\"", "").trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
