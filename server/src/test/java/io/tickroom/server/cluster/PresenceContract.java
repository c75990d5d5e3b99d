package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Presence} must do for the node it runs on (what the lobby's seat release,
 * match placement and the dead-node clean-up rely on); run against memory and Redis.
 */
public abstract class PresenceContract extends PortContract {

    @Test
    void aUserHeldHereIsOnlineAnywhereOnThisNode() {
        Presence p = cluster().presence();
        p.present("ann");
        assertTrue(p.onlineAnywhere("ann"));
        assertEquals(Set.of(NODE), p.nodesOf("ann"));
    }

    @Test
    void aUserWhoseLastSessionHereWentIsOnlineNowhere() {
        Presence p = cluster().presence();
        p.present("ann");
        p.absent("ann");
        assertFalse(p.onlineAnywhere("ann"));
        assertEquals(Set.of(), p.nodesOf("ann"));
    }

    @Test
    void aUserNeverSeenIsOnlineNowhere() {
        Presence p = cluster().presence();
        assertFalse(p.onlineAnywhere("zed"));
        assertEquals(Set.of(), p.nodesOf("zed"));
        p.absent("zed"); // absent without present is harmless
        assertFalse(p.onlineAnywhere("zed"));
    }

    @Test
    void presenceIsHeldOrNotNotCounted() {
        Presence p = cluster().presence();
        p.present("ann");
        p.present("ann");
        p.absent("ann");
        assertFalse(p.onlineAnywhere("ann"), "one absent ends it: the node tracks users, not sessions");
    }

    @Test
    void usersAreIndependent() {
        Presence p = cluster().presence();
        p.present("ann");
        p.present("bob");
        p.absent("bob");
        assertTrue(p.onlineAnywhere("ann"));
        assertFalse(p.onlineAnywhere("bob"));
    }
}
