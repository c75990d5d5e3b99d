package io.tickroom.server.config;

import io.tickroom.server.auth.TokenPolicy;
import java.nio.charset.StandardCharsets;

/**
 * The whole node's configuration: one record per component.
 *
 * @param nodeId    this node's id in the cluster and in logs
 * @param jwtSecret the HS256 secret tokens are verified with (at least 32 bytes)
 * @param tokens    what a token must say besides its signature (issuer, audience, lifetime, skew)
 */
public record ServerConfig(
        String nodeId,
        String jwtSecret,
        NetConfig net,
        LimitsConfig limits,
        LobbyConfig lobby,
        MatchConfig match,
        ClusterConfig cluster,
        SessionConfig session,
        TokenPolicy tokens) {

    public static final String JWT_SECRET_ENV = "TICKROOM_JWT_SECRET";

    public ServerConfig {
        ConfigException.require(
                nodeId != null && nodeId.matches("[A-Za-z0-9_.-]{1,64}"),
                "--node-id",
                "must be 1..64 of [A-Za-z0-9_.-], was '" + nodeId + "'");
        ConfigException.require(
                jwtSecret != null && !jwtSecret.isEmpty(),
                "--jwt-secret / " + JWT_SECRET_ENV,
                "is required: set " + JWT_SECRET_ENV + " (at least 32 bytes)");
        ConfigException.require(
                jwtSecret.getBytes(StandardCharsets.UTF_8).length >= 32,
                "--jwt-secret / " + JWT_SECRET_ENV,
                "must be at least 32 bytes for HS256");
        ConfigException.require(net != null, "net", "missing");
        ConfigException.require(limits != null, "limits", "missing");
        ConfigException.require(lobby != null, "lobby", "missing");
        ConfigException.require(match != null, "match", "missing");
        ConfigException.require(cluster != null, "cluster", "missing");
        ConfigException.require(session != null, "session", "missing");
        ConfigException.require(tokens != null, "tokens", "missing");
    }

    /** With {@link TokenPolicy#DEFAULTS}. */
    public ServerConfig(
            String nodeId,
            String jwtSecret,
            NetConfig net,
            LimitsConfig limits,
            LobbyConfig lobby,
            MatchConfig match,
            ClusterConfig cluster,
            SessionConfig session) {
        this(nodeId, jwtSecret, net, limits, lobby, match, cluster, session, TokenPolicy.DEFAULTS);
    }

    public static ServerConfig defaults(String nodeId, String jwtSecret) {
        return new ServerConfig(
                nodeId,
                jwtSecret,
                NetConfig.defaults(),
                LimitsConfig.defaults(),
                LobbyConfig.defaults(),
                MatchConfig.defaults(),
                ClusterConfig.singleNode(),
                SessionConfig.defaults(),
                TokenPolicy.DEFAULTS);
    }

    public ServerConfig withNet(NetConfig n) {
        return new ServerConfig(nodeId, jwtSecret, n, limits, lobby, match, cluster, session, tokens);
    }

    public ServerConfig withLimits(LimitsConfig l) {
        return new ServerConfig(nodeId, jwtSecret, net, l, lobby, match, cluster, session, tokens);
    }

    public ServerConfig withMatch(MatchConfig m) {
        return new ServerConfig(nodeId, jwtSecret, net, limits, lobby, m, cluster, session, tokens);
    }

    public ServerConfig withNodeId(String id) {
        return new ServerConfig(id, jwtSecret, net, limits, lobby, match, cluster, session, tokens);
    }

    public ServerConfig withCluster(ClusterConfig c) {
        return new ServerConfig(nodeId, jwtSecret, net, limits, lobby, match, c, session, tokens);
    }

    public ServerConfig withSession(SessionConfig x) {
        return new ServerConfig(nodeId, jwtSecret, net, limits, lobby, match, cluster, x, tokens);
    }

    public ServerConfig withTokens(TokenPolicy t) {
        return new ServerConfig(nodeId, jwtSecret, net, limits, lobby, match, cluster, session, t);
    }

    public ServerConfig withLobby(LobbyConfig l) {
        return new ServerConfig(nodeId, jwtSecret, net, limits, l, match, cluster, session, tokens);
    }
}
