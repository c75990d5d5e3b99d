package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.MatchConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.DeployFiles;
import io.tickroom.server.testing.DeployFiles.Instruction;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deployment files in {@code server/deploy/} read and checked without a container engine or systemd:
 * the Dockerfile against hadolint-style rules, the compose file as YAML against the Dockerfile,
 * the node's settings and the README, the systemd unit's stop and restart settings.
 */
class DeployFilesTest {
    static final String DOCKERFILE = "server/deploy/Dockerfile";
    static final String COMPOSE = "server/deploy/compose.yaml";
    static final String UNIT = "server/deploy/tickroom.service";
    static final String OOM_FLAG = "-XX:+ExitOnOutOfMemoryError";
    static final String JAR = "/opt/tickroom/tickroom-server.jar";
    /** A stop must outlast a drain: running matches get the drain limit, sessions the shutdown grace. */
    static final long DRAIN_STOP_S =
            (MatchConfig.defaults().drainMatchLimitMs() + NetConfig.defaults().shutdownGraceMs()) / 1000;

    // ------------------------------------------------------------------ Dockerfile

    static List<List<Instruction>> stages() throws Exception {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction i : DeployFiles.dockerfile(DOCKERFILE)) {
            if (i.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertFalse(stages.isEmpty(), "the first instruction must be FROM (line " + i.line() + ")");
            stages.get(stages.size() - 1).add(i);
        }
        return stages;
    }

    static List<Instruction> all(List<Instruction> stage, String keyword) {
        return stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The exec-form (JSON array) arguments of an instruction; fails on the shell form (hadolint DL3025). */
    static List<String> execForm(Instruction i, String after) {
        String json =
                i.args().substring(i.args().indexOf(after) + after.length()).strip();
        assertTrue(
                json.startsWith("["),
                i.keyword() + " on line " + i.line() + " should use the JSON (exec) form: " + json);
        List<String> args = new Yaml().load(json);
        return args;
    }

    @Test
    void dockerfileIsMultiStageWithPinnedBaseImages() throws Exception {
        List<List<Instruction>> stages = stages();
        assertTrue(stages.size() >= 2, "build and run stages");
        Set<String> names = new HashSet<>();
        for (List<Instruction> stage : stages) {
            String[] from = stage.get(0).args().split(" ");
            String image = from[0];
            assertTrue(
                    image.contains(":") && !image.endsWith(":latest"),
                    "pin the base image's tag, never latest (DL3006, DL3007): " + image);
            if (from.length == 3 && from[1].equalsIgnoreCase("AS")) {
                names.add(from[2]);
            }
        }
        List<Instruction> last = stages.get(stages.size() - 1);
        List<Instruction> copied = all(last, "COPY").stream()
                .filter(c -> c.args().startsWith("--from="))
                .toList();
        assertFalse(copied.isEmpty(), "the run stage copies the jar from the build stage");
        for (Instruction c : copied) {
            String from = c.args().substring("--from=".length(), c.args().indexOf(' '));
            assertTrue(names.contains(from), "COPY --from names a stage of this file (DL3022): " + from);
        }
        assertTrue(copied.stream().anyMatch(c -> c.args().endsWith(" " + JAR)), "the jar lands at " + JAR);
        assertTrue(
                all(stages.get(0), "RUN").stream().anyMatch(r -> r.args().contains("./mvnw")),
                "built with the wrapper");
    }

    @Test
    void dockerfileRunsAsAnUnprivilegedUserWithAHealthCheckAndStopsWithSigterm() throws Exception {
        List<Instruction> last = stages().get(stages().size() - 1);
        List<Instruction> users = all(last, "USER");
        assertFalse(users.isEmpty(), "the run stage sets USER (DL3002)");
        String user = users.get(users.size() - 1).args().split(":")[0];
        assertFalse(user.equals("root") || user.equals("0"), "the last USER is not root (DL3002): " + user);
        int userAt = last.indexOf(users.get(users.size() - 1));
        int entryAt = last.indexOf(all(last, "ENTRYPOINT").get(0));
        assertTrue(userAt < entryAt, "USER comes before ENTRYPOINT");

        assertEquals(1, all(last, "HEALTHCHECK").size(), "one HEALTHCHECK (DL4011-style)");
        List<String> check = execForm(all(last, "HEALTHCHECK").get(0), "CMD");
        assertTrue(String.join(" ", check).contains("/health"), check.toString());
        assertEquals(
                List.of("STOPSIGNAL SIGTERM"),
                all(last, "STOPSIGNAL").stream()
                        .map(i -> i.keyword() + " " + i.args())
                        .toList(),
                "docker stop sends SIGTERM, which drains the node");
    }

    @Test
    void dockerfileEntrypointIsExecFormWithTheJvmFlagsOfTheUnit() throws Exception {
        List<Instruction> last = stages().get(stages().size() - 1);
        assertEquals(1, all(last, "ENTRYPOINT").size(), "one ENTRYPOINT (DL4004)");
        assertTrue(all(last, "CMD").size() <= 1, "at most one CMD (DL4003)");
        List<String> entry = execForm(all(last, "ENTRYPOINT").get(0), "");
        assertEquals("java", entry.get(0));
        assertTrue(entry.contains(OOM_FLAG), "an OOM must end the process so the supervisor restarts it: " + entry);
        assertEquals(List.of("-jar", JAR), entry.subList(entry.size() - 2, entry.size()));
        List<String> unitFlags = List.of(execStart().split(" "));
        assertEquals(
                entry.subList(1, entry.size()),
                unitFlags.subList(1, unitFlags.size()),
                "the container and the unit run the jar with the same JVM flags");
    }

    @Test
    void dockerfileFollowsTheShellAndFileRules() throws Exception {
        for (Instruction i : DeployFiles.dockerfile(DOCKERFILE)) {
            String where = " (line " + i.line() + ")";
            assertFalse(i.keyword().equals("ADD"), "COPY, not ADD, for local files (DL3020)" + where);
            assertFalse(i.keyword().equals("MAINTAINER"), "MAINTAINER is deprecated (DL4000)" + where);
            if (i.keyword().equals("WORKDIR")) {
                assertTrue(i.args().startsWith("/"), "WORKDIR is absolute (DL3000)" + where);
            }
            if (i.keyword().equals("RUN")) {
                assertFalse(i.args().matches("(^|.*[;&|]\\s*)sudo\\b.*"), "no sudo (DL3004)" + where);
                assertFalse(i.args().matches("(^|.*[;&|]\\s*)cd\\s.*"), "WORKDIR, not cd (DL3003)" + where);
                assertFalse(
                        i.args().contains("apt-get upgrade") || i.args().contains("apt-get dist-upgrade"),
                        "no apt-get upgrade (DL3005)" + where);
                if (i.args().contains("apt-get install")) {
                    assertTrue(
                            i.args().contains("--no-install-recommends"), "--no-install-recommends (DL3015)" + where);
                    assertTrue(i.args().contains("rm -rf /var/lib/apt/lists"), "clean the apt lists (DL3009)" + where);
                }
            }
            if (i.keyword().equals("COPY") && !i.args().startsWith("--from=")) {
                String[] parts = i.args().split(" ");
                for (int k = 0; k < parts.length - 1; k++) {
                    assertTrue(
                            Files.exists(DeployFiles.root().resolve(parts[k])),
                            "COPY source exists in the repository: " + parts[k] + where);
                }
            }
        }
    }

    @Test
    void dockerfileCopiesEveryModulesPomBecauseTheReactorReadsThemAll() throws Exception {
        String pom = DeployFiles.read("pom.xml");
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> copies = DeployFiles.dockerfile(DOCKERFILE).stream()
                .filter(i -> i.keyword().equals("COPY"))
                .map(Instruction::args)
                .toList();
        int modules = 0;
        while (m.find()) {
            modules++;
            String module = m.group(1);
            assertTrue(
                    copies.stream().anyMatch(c -> c.startsWith(module + "/pom.xml ")),
                    "the build stage copies " + module + "/pom.xml, or the reactor fails to start: " + copies);
        }
        assertTrue(modules >= 2, "read the parent pom's modules");
    }

    // ------------------------------------------------------------------ compose

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services() throws Exception {
        return (Map<String, Map<String, Object>>) DeployFiles.yaml(COMPOSE).get("services");
    }

    static List<String> nodeServices() throws Exception {
        return services().keySet().stream()
                .filter(s -> s.startsWith("node-"))
                .sorted()
                .toList();
    }

    static String exposedPort() throws Exception {
        List<Instruction> last = stages().get(stages().size() - 1);
        return all(last, "EXPOSE").get(0).args();
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsRedisAndThreeNodesOfTheImageTheDockerfileBuilds() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertEquals(List.of("node-1", "node-2", "node-3"), nodeServices());
        String redisImage = (String) services.get("redis").get("image");
        assertTrue(
                redisImage.startsWith("redis:7.") && !redisImage.endsWith(":latest"),
                "a pinned Redis 7: " + redisImage);
        assertTrue(services.get("redis").containsKey("healthcheck"), "the nodes wait for a healthy Redis");
        Set<String> hostPorts = new HashSet<>();
        for (String name : nodeServices()) {
            Map<String, Object> node = services.get(name);
            assertEquals("tickroom/server:0.1.0", node.get("image"), name);
            Map<String, Object> build = (Map<String, Object>) node.get("build");
            assertEquals(DOCKERFILE, build.get("dockerfile"), name);
            assertEquals(
                    DeployFiles.root(),
                    DeployFiles.file("server/deploy")
                            .resolve((String) build.get("context"))
                            .normalize(),
                    "the build context is the repository root");
            assertEquals(Map.of("redis", Map.of("condition", "service_healthy")), node.get("depends_on"), name);
            List<String> ports = (List<String>) node.get("ports");
            assertEquals(1, ports.size(), name);
            String[] hostAndContainer = ports.get(0).split(":");
            assertEquals(exposedPort(), hostAndContainer[1], name + " publishes the port the image exposes");
            assertTrue(hostPorts.add(hostAndContainer[0]), "one host port per node");

            Map<String, Object> env = (Map<String, Object>) node.get("environment");
            assertEquals(name, env.get("TICKROOM_NODE_ID"));
            assertEquals("redis://redis:6379", env.get("TICKROOM_REDIS"));
            assertEquals(
                    "ws://localhost:" + hostAndContainer[0] + "/ws/play",
                    env.get("TICKROOM_ADVERTISE_URL"),
                    "clients reach a node at its published port: drains and match_found send them there");
            assertTrue(
                    String.valueOf(env.get("TICKROOM_JWT_SECRET")).startsWith("${TICKROOM_JWT_SECRET:?"),
                    "the secret comes from the operator's environment, required, never from the file");
            String grace = String.valueOf(node.get("stop_grace_period"));
            assertTrue(
                    grace.matches("\\d+s") && Long.parseLong(grace.replace("s", "")) >= DRAIN_STOP_S,
                    name + ": stop_grace_period must outlast a drain (" + DRAIN_STOP_S + " s), or docker kills it: "
                            + grace);
            assertEquals("unless-stopped", node.get("restart"));
        }
        assertEquals(Set.of("8081", "8082", "8083"), hostPorts, "the ports of scripts/run-cluster");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeSetsOnlyVariablesTheNodeReads() throws Exception {
        Set<String> known = new HashSet<>();
        Pattern env = Pattern.compile("\\$\\{env:(TICKROOM_[A-Z_]+)");
        for (CommandLine.Model.OptionSpec o :
                new CommandLine(new ServerMain()).getCommandSpec().options()) {
            Matcher m = env.matcher(String.valueOf(o.defaultValueString(false)));
            while (m.find()) {
                known.add(m.group(1));
            }
        }
        assertTrue(known.contains("TICKROOM_REDIS"), known.toString());
        for (String name : nodeServices()) {
            for (String key : ((Map<String, Object>) services().get(name).get("environment")).keySet()) {
                assertTrue(known.contains(key), name + " sets " + key + ", which no flag of the node reads");
            }
        }
        for (Instruction i : DeployFiles.dockerfile(DOCKERFILE)) {
            if (i.keyword().equals("ENV")) {
                Matcher m = Pattern.compile("(TICKROOM_[A-Z_]+)=").matcher(i.args());
                while (m.find()) {
                    assertTrue(
                            known.contains(m.group(1)), "the Dockerfile sets " + m.group(1) + ", which no flag reads");
                }
            }
        }
    }

    @Test
    void readmeDocumentsTheDeploymentFilesImagesAndPorts() throws Exception {
        String readme = DeployFiles.read("README.md");
        int start = readme.indexOf("\n## Deploying");
        assertTrue(start >= 0, "README has a 'Deploying' section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
        List<String> named =
                new ArrayList<>(List.of(DOCKERFILE, COMPOSE, UNIT, "server/deploy/grafana/tickroom-dashboard.json"));
        for (Map<String, Object> s : services().values()) {
            named.add((String) s.get("image"));
        }
        for (String name : nodeServices()) {
            @SuppressWarnings("unchecked")
            List<String> ports = (List<String>) services().get(name).get("ports");
            named.add(ports.get(0).split(":")[0]);
        }
        for (String n : named) {
            assertTrue(section.contains(n), "the README's Deploying section names " + n);
        }
    }

    // ------------------------------------------------------------------ systemd

    static String execStart() throws Exception {
        return DeployFiles.one(DeployFiles.unit(UNIT), "Service", "ExecStart");
    }

    @Test
    void unitRunsTheJarWithTheOomFlagAndStopsByDrainingWithinItsTimeout() throws Exception {
        var unit = DeployFiles.unit(UNIT);
        String exec = execStart();
        assertTrue(exec.startsWith("/usr/bin/java "), exec);
        assertTrue(exec.contains(" " + OOM_FLAG + " "), exec);
        assertTrue(exec.endsWith(" -jar " + JAR), exec);
        assertEquals("SIGTERM", DeployFiles.one(unit, "Service", "KillSignal"));
        long timeout = Long.parseLong(DeployFiles.one(unit, "Service", "TimeoutStopSec"));
        assertTrue(timeout >= DRAIN_STOP_S, "TimeoutStopSec outlasts a drain (" + DRAIN_STOP_S + " s): " + timeout);
        assertTrue(
                List.of(DeployFiles.one(unit, "Service", "SuccessExitStatus").split(" "))
                        .contains("143"),
                "the JVM exits 143 after SIGTERM: a clean stop, not a failure");
        assertTrue(
                Set.of("on-failure", "always").contains(DeployFiles.one(unit, "Service", "Restart")),
                "an OOM exit is restarted");
        String user = DeployFiles.one(unit, "Service", "User");
        assertFalse(user.equals("root") || user.equals("0"), user);
        assertTrue(
                Long.parseLong(DeployFiles.one(unit, "Service", "LimitNOFILE")) >= 65_536,
                "one descriptor per connection");
        assertEquals("multi-user.target", DeployFiles.one(unit, "Install", "WantedBy"));
    }
}
