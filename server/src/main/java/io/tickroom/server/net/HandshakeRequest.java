package io.tickroom.server.net;

/** What the handshake chain may look at, lifted out of Jetty's request. */
record HandshakeRequest(String path, String origin, String authorization, String queryToken, String remoteAddress) {

    /** The bearer token from the Authorization header, else the {@code access_token} query parameter. */
    String token() {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return queryToken;
    }
}
