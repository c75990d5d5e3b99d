package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ConfigException;
import org.junit.jupiter.api.Test;

/** {@code --web on|off} turns the demo page and the operator console on (the default) or off. */
class WebFlagTest {
    static final String SECRET = "--jwt-secret=web-flag-secret-web-flag-secret-0123";

    @Test
    void thePagesAreOnByDefaultAndWebOffTurnsThemOff() throws Exception {
        assertTrue(ServerMainTest.parse(SECRET).net().web());
        assertFalse(ServerMainTest.parse(SECRET, "--web", "off").net().web());
        assertTrue(ServerMainTest.parse(SECRET, "--web=on").net().web());
    }

    @Test
    void anythingButOnOrOffNamesTheFlag() {
        ConfigException e = assertThrows(ConfigException.class, () -> ServerMainTest.parse(SECRET, "--web", "maybe"));
        assertTrue(e.getMessage().startsWith("--web"), e.getMessage());
    }
}
