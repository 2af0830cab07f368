package io.wenzhen.auth.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A console administrator; the password only as a bcrypt hash. */
@Entity
@Table(name = "admin_user")
public class AdminUser extends PanacheEntityBase {

    @Id
    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "created_at")
    public Instant createdAt;
}
