package io.tickroom.server.room;

/**
 * A fixed set of locks chosen by key hash: bounded memory whatever keys clients send, and two
 * operations on the same key always take the same lock.
 */
public final class StripedLocks {
    private final Object[] locks;

    public StripedLocks(int stripes) {
        locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new Object();
        }
    }

    public Object of(String key) {
        return locks[Math.floorMod(key.hashCode() * 0x9E3779B9, locks.length)];
    }
}
