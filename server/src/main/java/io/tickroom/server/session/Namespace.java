package io.tickroom.server.session;

/** A WebSocket path with its own handshake chain, handlers and rooms (Socket.IO's namespace). */
public enum Namespace {
    PLAY("/ws/play"),
    ADMIN("/ws/admin");

    private final String path;

    Namespace(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
