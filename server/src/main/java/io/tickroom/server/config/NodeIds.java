package io.tickroom.server.config;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Where the default node id is decided: {@code --node-id} (or {@code TICKROOM_NODE_ID}) left
 * unset means {@link #unique()}: this host's short name, "-", and six random characters, drawn
 * again at every start. Nodes started with only {@code --redis} thus never share an id, and a
 * node restarted after a crash comes back as a new node (the survivors clean up after the old
 * one). Give an explicit id to keep the same one across restarts.
 */
public final class NodeIds {
    private static final char[] SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    static final int SUFFIX_CHARS = 6;
    /** Node ids are 1..64 of [A-Za-z0-9_.-] ({@link ServerConfig}); the host part leaves room for the suffix. */
    static final int MAX_HOST_CHARS = 64 - 1 - SUFFIX_CHARS;

    private NodeIds() {}

    /** A fresh default node id, e.g. {@code web-3-k3x9q2}. Any thread. */
    public static String unique() {
        return unique(hostName(), new SecureRandom());
    }

    static String unique(String hostName, RandomGenerator random) {
        StringBuilder id = new StringBuilder(hostPart(hostName)).append('-');
        for (int i = 0; i < SUFFIX_CHARS; i++) {
            id.append(SUFFIX_ALPHABET[random.nextInt(SUFFIX_ALPHABET.length)]);
        }
        return id.toString();
    }

    /** The host's short name (up to the first dot), made fit for an id; "node" when there is none. */
    static String hostPart(String hostName) {
        String h = hostName == null ? "" : hostName.strip();
        int dot = h.indexOf('.');
        if (dot >= 0) {
            h = h.substring(0, dot);
        }
        h = h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (h.length() > MAX_HOST_CHARS) {
            h = h.substring(0, MAX_HOST_CHARS);
        }
        return h.isEmpty() ? "node" : h;
    }

    /** The host name from the environment (shells and containers set HOSTNAME), else the OS's name for this host. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
