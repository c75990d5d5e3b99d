package io.tickroom.server.auth;

import java.util.OptionalInt;
import java.util.Set;

/**
 * An authenticated user, as the verified token says.
 *
 * @param userId      the token's {@code sub}
 * @param name        display name ({@code name} claim, or the user id)
 * @param roles       the {@code roles} claim
 * @param expiresAtMs the token's {@code exp}, epoch milliseconds
 * @param rating      the optional {@code rating} claim used by quick match
 */
public record Principal(String userId, String name, Set<String> roles, long expiresAtMs, OptionalInt rating) {

    public static final String ADMIN_ROLE = "admin";

    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
