package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.auth.TokenPolicy;
import io.tickroom.server.testing.RawHandshake;
import io.tickroom.server.testing.TestNode;
import io.tickroom.server.tick.TimeSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node verifies tokens with the configured policy ({@code --jwt-*}) against its own clock. */
@Timeout(60)
class TokenPolicyIT {

    static RawHandshake.Response upgrade(TickroomServer s, String token) throws Exception {
        return RawHandshake.upgrade(s.port(), "/ws/play", Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void anIssuerTheNodeRequiresIsCheckedAtTheHandshake() throws Exception {
        try (TickroomServer s = TickroomServer.builder()
                .jwtSecret(TestNode.SECRET)
                .net(TestNode.config().net())
                .tokens(new TokenPolicy(
                        "https://auth.example",
                        "",
                        TokenPolicy.DEFAULT_MAX_LIFETIME_MS,
                        TokenPolicy.DEFAULT_CLOCK_SKEW_MS))
                .start()) {
            RawHandshake.Response r = upgrade(s, TestNode.token("alice")); // no iss claim
            assertEquals(401, r.status());
            assertTrue(r.body().contains("issuer"), r.body());
        }
    }

    @Test
    void expiryIsJudgedOnTheNodesTimeSource() throws Exception {
        long twoHoursAheadMs = 2 * 3_600_000L;
        TimeSource ahead = new TimeSource() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis() + twoHoursAheadMs;
            }
        };
        try (TickroomServer s = TickroomServer.builder()
                .jwtSecret(TestNode.SECRET)
                .net(TestNode.config().net())
                .time(ahead)
                .start()) {
            RawHandshake.Response r = upgrade(s, TestNode.token("alice")); // valid for one hour of wall time
            assertEquals(401, r.status());
            assertTrue(r.body().contains("expired"), r.body());
        }
    }
}
