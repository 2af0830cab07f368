package io.wenzhen.room.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * The composite key of everything unique within an app: (appId, id) where id is a roomID, a userID or
 * a streamID. Entities name their second column through their own field.
 */
public class AppScopedId implements Serializable {

    public long appId;
    public String id;

    public AppScopedId() {
    }

    public AppScopedId(long appId, String id) {
        this.appId = appId;
        this.id = id;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AppScopedId that && appId == that.appId && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appId, id);
    }
}
