package io.tickroom.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, from {@code version.properties} (filtered by the build); "unknown" when absent. */
final class Version {
    static final String NUMBER = load();

    private Version() {}

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
