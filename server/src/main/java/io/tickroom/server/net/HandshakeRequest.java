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

    /**
     * The first value of {@code name} in a raw query string, percent-decoded (UTF-8, {@code +} as
     * a space), or null. Only that parameter is looked at: the handshake of every connection used
     * to decode the whole query into a map (Jetty's {@code extractQueryParameters}: about 4 KB of
     * garbage per connection, most of it the token itself decoded char by char), and a token,
     * being base64url and dots, has nothing to decode. Where it differs from Jetty's decoding, on
     * purpose: names are matched as written ({@code access%5Ftoken} is not {@code access_token});
     * a broken escape in the value is no value (the handshake then fails as "missing token", 401,
     * where Jetty refused the whole query with 400), and one in another parameter is not looked at;
     * malformed UTF-8 decodes to U+FFFD (and such a token fails its signature check).
     */
    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        int at = 0;
        int eq = -2; // the next '=' at or after at (-1: none left): found once per '=', so the scan is linear
        while (at <= query.length()) {
            int end = query.indexOf('&', at);
            if (end < 0) {
                end = query.length();
            }
            if (eq != -1 && eq < at) {
                eq = query.indexOf('=', at);
            }
            int keyEnd = eq >= 0 && eq < end ? eq : end;
            if (keyEnd - at == name.length() && query.startsWith(name, at)) {
                String raw = keyEnd < end ? query.substring(keyEnd + 1, end) : "";
                if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
                    return raw;
                }
                try {
                    return java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null; // a broken escape: no token, refused as missing
                }
            }
            at = end + 1;
        }
        return null;
    }
}
