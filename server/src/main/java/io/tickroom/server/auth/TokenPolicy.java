package io.tickroom.server.auth;

/**
 * What a token must say besides a good signature and a future {@code exp}.
 *
 * @param issuer        required {@code iss} ("" = not checked)
 * @param audience      required among the token's {@code aud} ("" = not checked)
 * @param maxLifetimeMs the longest a token may live: {@code exp − iat} (or {@code exp − now} without
 *                      {@code iat}); longer ones are refused, so a leaked token cannot live for years
 * @param clockSkewMs   leeway for {@code nbf} against this node's clock (never for {@code exp})
 */
public record TokenPolicy(String issuer, String audience, long maxLifetimeMs, long clockSkewMs) {
    /** Not checked. */
    public static final String DEFAULT_ISSUER = "";
    /** Not checked. */
    public static final String DEFAULT_AUDIENCE = "";
    /** 24 hours. */
    public static final long DEFAULT_MAX_LIFETIME_MS = 24L * 3600 * 1000;
    /** 30 seconds. */
    public static final long DEFAULT_CLOCK_SKEW_MS = 30_000;

    public static final TokenPolicy DEFAULTS =
            new TokenPolicy(DEFAULT_ISSUER, DEFAULT_AUDIENCE, DEFAULT_MAX_LIFETIME_MS, DEFAULT_CLOCK_SKEW_MS);

    public TokenPolicy {
        if (issuer == null || audience == null) {
            throw new IllegalArgumentException("--jwt-issuer / --jwt-audience: use \"\" for not checked, not null");
        }
        if (maxLifetimeMs <= 0) {
            throw new IllegalArgumentException("--jwt-max-lifetime-ms: must be positive, was " + maxLifetimeMs);
        }
        if (clockSkewMs < 0) {
            throw new IllegalArgumentException("--jwt-clock-skew-ms: must not be negative, was " + clockSkewMs);
        }
    }
}
