package io.wenzhen.auth.mapping;

import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.wenzhen.events.SecretBox;
import io.wenzhen.auth.model.App;
import io.wenzhen.events.AppUpdated;

/** Turns the App entity into what the API shows and what the apps topic carries. */
@ApplicationScoped
public class AppMapper {

    private final SecretBox atRest;
    private final SecretBox cluster;

    @Inject
    public AppMapper(@Named("at-rest") SecretBox atRest, @Named("cluster") SecretBox cluster) {
        this.atRest = atRest;
        this.cluster = cluster;
    }

    /** The associated data that binds a sealed secret to its app. */
    public static String owner(long appId) {
        return "app:" + appId;
    }

    public AppView toView(App app) {
        return view(app, null);
    }

    /** The view with the plaintext secret: only for the answers to creation and rotation. */
    public AppView toViewWithSecret(App app, String serverSecret) {
        return view(app, serverSecret);
    }

    public AppUpdated toEvent(App app, String change) {
        String current = cluster.seal(atRest.open(app.secretSealed, owner(app.appId)), owner(app.appId));
        String previous = app.previousSecretSealed == null ? null
                : cluster.seal(atRest.open(app.previousSecretSealed, owner(app.appId)), owner(app.appId));
        return new AppUpdated(app.appId, app.name, app.status.name(), origins(app.allowedOrigins),
                new AppUpdated.Limits(app.maxRooms, app.maxMembersPerRoom), app.revision, change,
                new AppUpdated.Secrets(current, previous, previous == null ? null : app.previousSecretValidUntil),
                app.updatedAt);
    }

    public static String joinOrigins(List<String> origins) {
        return origins == null ? "" : String.join("\n", origins);
    }

    public static List<String> origins(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }

    private AppView view(App app, String serverSecret) {
        return new AppView(app.appId, app.name, app.status.name(), origins(app.allowedOrigins), app.maxRooms,
                app.maxMembersPerRoom, app.revision, app.createdAt, app.updatedAt, serverSecret,
                app.previousSecretSealed == null ? null : app.previousSecretValidUntil);
    }
}
