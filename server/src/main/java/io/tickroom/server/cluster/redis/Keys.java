package io.tickroom.server.cluster.redis;

import java.nio.charset.StandardCharsets;

/**
 * Every Redis key and channel name, in one place. Each name carries a hash tag (the part in
 * braces) naming what it belongs to, so that on Redis Cluster everything one script touches sits
 * in one slot: a lobby's hash, members, names, ready set, member tokens and fences under {@code
 * {lobby:ID}}; a user's claims and presence under {@code {user:ID}}; a mode's listing indexes and
 * quick-match queue under {@code {mode:NAME}}; a stream's seq, replay log, version and channel
 * under the stream's own name ({@code {lobby:ID}} for a lobby's stream: its pushes number on the
 * lobby's slot); a node's registration, users, sessions and matches under {@code {node:ID}}. The
 * few global keys ({@code {lobbies}}, {@code {nodes}}, {@code {matches}}) are each on a slot of
 * their own and are only ever written by single commands or scripts that touch nothing else.
 *
 * <p>The same layout serves a single Redis (hash tags mean nothing there), so both modes run one
 * code path. The prefix comes first and has no braces (ClusterConfig checks), so the first
 * {@code {...}} of every name is its tag.
 */
final class Keys {
    private final String p;

    Keys(String prefix) {
        this.p = prefix;
    }

    String prefix() {
        return p;
    }

    /** A lobby's hash; its other keys are this plus {@code :members}, {@code :names}, ... (lobby-prelude.lua). */
    String lobby(String id) {
        return p + "{lobby:" + id + "}";
    }

    /** The base of a user's keys: {@code :lobby} (the one-lobby claim), {@code :queued}, {@code :match}, {@code :presence}. */
    String user(String uid) {
        return p + "{user:" + uid + "}";
    }

    String userLobby(String uid) {
        return user(uid) + ":lobby";
    }

    String userQueued(String uid) {
        return user(uid) + ":queued";
    }

    String userMatch(String uid) {
        return user(uid) + ":match";
    }

    String presence(String uid) {
        return user(uid) + ":presence";
    }

    /** The base of a mode's keys: listing indexes ({@code :newest}, {@code :fill}, {@code :attr:k=v}) and queue ({@code :qz}, ...). */
    String mode(String mode) {
        return p + "{mode:" + mode + "}";
    }

    /** The base of a stream's keys: {@code :seq}, {@code :log}, {@code :ver}, {@code :ch}. */
    String stream(String stream) {
        return p + "{" + stream + "}";
    }

    String seq(String stream) {
        return stream(stream) + ":seq";
    }

    String log(String stream) {
        return stream(stream) + ":log";
    }

    String channel(String stream) {
        return stream(stream) + ":ch";
    }

    byte[] channelBytes(String stream) {
        return channel(stream).getBytes(StandardCharsets.UTF_8);
    }

    /** The stream a channel name belongs to, or null when it is not a stream channel of this prefix. */
    String streamOfChannel(String channel) {
        if (!channel.startsWith(p + "{") || !channel.endsWith("}:ch")) {
            return null;
        }
        return channel.substring(p.length() + 1, channel.length() - 4);
    }

    /** A node's registration ("url|sessions|matches|draining|instance"); plus {@code :users}, {@code :sessions}, {@code :matches}, {@code :stopped}. */
    String node(String id) {
        return p + "{node:" + id + "}";
    }

    /** A node's control channel (sendToNode): classic pub/sub, on any node of a cluster. */
    String nodeControl(String id) {
        return node(id) + ":ctl";
    }

    String nodeUsers(String id) {
        return node(id) + ":users";
    }

    String nodeSessions(String id) {
        return node(id) + ":sessions";
    }

    String nodeMatches(String id) {
        return node(id) + ":matches";
    }

    /** Every registered node id (global: one slot). */
    String nodes() {
        return p + "{nodes}";
    }

    /** Every lobby id (global: one slot), for the cluster-wide lobby limit and the count. */
    String lobbies() {
        return p + "{lobbies}";
    }

    /** Join code to lobby id. */
    String code(String code) {
        return p + "{code:" + code + "}";
    }

    String session(String sid) {
        return p + "{sess:" + sid + "}";
    }

    /** A match's directory entry (hash: node, mode, url, players, created). */
    String match(String id) {
        return p + "{match:" + id + "}:entry";
    }

    /** Every match id (global: one slot), for the count. */
    String matches() {
        return p + "{matches}";
    }
}
