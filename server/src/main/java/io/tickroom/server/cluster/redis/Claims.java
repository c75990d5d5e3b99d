package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Ids;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Fenced claims on a user's "one at a time" keys ({@code {user:ID}:lobby}, {@code
 * {user:ID}:queued}): how a write that spans two slots (the user's and the lobby's or mode's)
 * stays safe without a cross-slot script.
 *
 * <p>Design note. A claim is a hash on the user's slot: target, token (random per attempt), held
 * (0 pending, 1 held) and a deadline (Redis time + {@code pendingMs}). The protocol:
 *
 * <ol>
 *   <li>claim: set it pending, unless the user has a claim already;
 *   <li>the target's script (on the target's slot) checks its own invariant (seats, queue size)
 *       and records the token next to the user, refusing a token that was fenced;
 *   <li>commit: the claim becomes held (compare-and-set on the token); on a refusal in step 2 it
 *       is released instead (delete, compare-and-set on the token).
 * </ol>
 *
 * Step 1 is the only way to write a claim, and at most one claim per user exists, so no user is
 * recorded by two targets at once: a second target can be recorded only after the first claim
 * is gone, which it is only once released (the first target refused or forgot the user) or taken
 * over. A claim found pending past its deadline (its node died between steps, or stalled), or held
 * while its target no longer records the user (a release was lost), is resolved on the target's
 * slot before anyone takes it over: if the target recorded the token, the user is there (the
 * claim is committed on the spot and the new attempt refused); if not, the target fences the token
 * (a marker on its slot, kept an hour) so that a late step 2 with it is refused, and only then is
 * the claim replaced (compare-and-set on the old token). Nothing here depends on clocks agreeing:
 * the deadline only decides when to ask the target, the fence decides the outcome.
 */
final class Claims {
    /** Why a claim was refused: the user is at {@code target} (or a claim for it is still in flight). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String target;
        final boolean inFlight;

        Refused(String target, boolean inFlight) {
            super(inFlight ? "a claim for " + target + " is in flight" : "held by " + target, null, false, false);
            this.target = target;
            this.inFlight = inFlight;
        }
    }

    /** The target's side of a resolution, on the target's slot. */
    interface Resolver {
        /** Whether {@code target} records {@code token} for the user; when not, fences the token there first. */
        boolean recordedOrFenced(String target, String token);
    }

    /** ARGV: target, token, pendingMs, token to replace ('' for none). Returns {OK} or {HELD|BUSY|STALE, target, token}. */
    private static final Script CLAIM = new Script("""
            local cur = redis.call('HMGET', KEYS[1], 'target', 'token', 'held', 'deadline')
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if cur[2] and cur[2] ~= ARGV[4] then
              if cur[3] == '1' then return {'HELD', cur[1], cur[2]} end
              if now < tonumber(cur[4]) then return {'BUSY', cur[1], cur[2]} end
              return {'STALE', cur[1], cur[2]}
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'target', ARGV[1], 'token', ARGV[2], 'held', '0', 'deadline', tostring(now + tonumber(ARGV[3])))
            return {'OK'}
            """);

    private static final Script COMMIT = new Script("""
            if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'held', '1')
            return 1
            """);
    /**
     * ARGV: token, target. Deletes the claim if it is this token's, or if it is held for this
     * target: the target has just dropped the user, and a held claim's token was recorded there,
     * so none of its steps is still in flight (a pending claim of a new attempt is left alone).
     */
    private static final Script RELEASE = new Script("""
            local cur = redis.call('HMGET', KEYS[1], 'token', 'held', 'target')
            if cur[1] ~= ARGV[1] and not (cur[2] == '1' and cur[3] == ARGV[2]) then return 0 end
            redis.call('DEL', KEYS[1])
            return 1
            """);

    private final UnifiedJedis redis;
    private final long pendingMs;

    Claims(UnifiedJedis redis, long pendingMs) {
        this.redis = redis;
        this.pendingMs = pendingMs;
    }

    /**
     * Claims {@code key} (pending) for {@code target}; returns the token to record at the target.
     * Throws {@link Refused} when the user holds (or is claiming) another, confirmed by its target.
     * Redis errors propagate as Jedis exceptions (the caller answers UNAVAILABLE).
     */
    String claim(String key, String target, Resolver resolver) throws Refused {
        String token = Ids.newId(16);
        String replace = "";
        for (int round = 0; ; round++) {
            List<?> r = (List<?>)
                    CLAIM.eval(redis, List.of(key), List.of(target, token, Long.toString(pendingMs), replace));
            String status = str(r.get(0));
            if (status.equals("OK")) {
                return token;
            }
            String current = str(r.get(1));
            String currentToken = str(r.get(2));
            if (status.equals("BUSY") || round >= 2) {
                throw new Refused(current, true);
            }
            if (resolver.recordedOrFenced(current, currentToken)) {
                commit(key, currentToken); // it got there: a stale pending claim is held after all
                throw new Refused(current, false);
            }
            replace = currentToken; // fenced at its target: take it over
        }
    }

    /** The target recorded the token: the claim is held (a no-op when it was taken over meanwhile). */
    void commit(String key, String token) {
        COMMIT.eval(redis, List.of(key), List.of(token));
    }

    /**
     * The target refused or dropped the user: the claim goes (a no-op when it is another
     * attempt's, pending, or held for another target).
     */
    void release(String key, String token, String target) {
        RELEASE.eval(redis, List.of(key), List.of(token, target));
    }

    /** The target a held claim names, or null (none, or only pending). */
    String held(String key) {
        List<String> h = redis.hmget(key, "target", "held");
        return "1".equals(h.get(1)) ? h.get(0) : null;
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
    }
}
