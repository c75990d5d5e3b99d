package io.tickroom.server.config;

/** Bad configuration: the message names the setting and what is wrong with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public static void require(boolean ok, String setting, String problem) {
        if (!ok) {
            throw new ConfigException(setting + ": " + problem);
        }
    }
}
