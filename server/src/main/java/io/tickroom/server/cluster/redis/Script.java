package io.tickroom.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so a call sends the script's 40-character
 * digest instead of its text (the lobby scripts carry a 3 KB prelude). A server that does not have
 * it yet (just started, restarted empty, a new master after a failover: each master has its own
 * script cache) answers NOSCRIPT; the call is then sent once with its text ({@code EVAL}), which
 * also caches it there.
 */
final class Script {
    final String text;
    final String sha;
    private final byte[] textBytes;
    private final byte[] shaBytes;

    Script(String text) {
        this.text = text;
        this.textBytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha =
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(textBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
        this.shaBytes = sha.getBytes(StandardCharsets.US_ASCII);
    }

    Object eval(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(text, keys, args);
        }
    }

    Object evalBytes(UnifiedJedis redis, List<byte[]> keys, List<byte[]> args) {
        try {
            return redis.evalsha(shaBytes, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(textBytes, keys, args);
        }
    }
}
