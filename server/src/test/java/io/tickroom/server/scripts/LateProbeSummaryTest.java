package io.tickroom.server.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib/late-probe.mjs}, which {@code scripts/bench-peers --late-probe} runs after a
 * sitting: from the load client's per-10-ms buckets it counts the deliveries over 2 ms late, the
 * seconds with more than 1,000 of them, and names the worst buckets.
 */
@Timeout(60)
class LateProbeSummaryTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** What {@code node scripts/lib/late-probe.mjs DIR} printed (stdout and stderr) and its exit status. */
    record Run(int exit, String out) {}

    static Run summarise(Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "scripts/lib/late-probe.mjs", dir.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("needs node 20+ (apt-get install -y nodejs): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        return new Run(p.exitValue(), out);
    }

    @Test
    void countsTheLateDeliveriesAndNamesTheWorstBuckets(@TempDir Path dir) throws Exception {
        // buckets of 10 ms: one second with 1 + 0 + 1,200 late, the next with 5
        Files.writeString(
                dir.resolve("1-42.json"),
                "{\"adapter\":\"tickroom\",\"clients\":1600,\"pid\":42,\"buckets\":["
                        + "[179631218300,[300,1,2500]],[179631218301,[300,0,900]],"
                        + "[179631218302,[1600,1200,26400]],[179631218400,[300,5,3100]]]}");
        Run run = summarise(dir);
        assertEquals(0, run.exit(), run.out());
        String out = run.out();
        assertTrue(out.contains("tickroom (1600 clients, worker 42): 2500 deliveries, 1206 over 2 ms (48.24 %)"), out);
        assertTrue(out.contains("1 second(s) over 1,000"), out);
        String[] lines = out.split("\n");
        assertTrue(lines[1].contains("1200 of 1600 late, max 26.4 ms"), "worst bucket first: " + out);
        assertTrue(out.contains("5 of 300 late, max 3.1 ms") && out.contains("1 of 300 late, max 2.5 ms"), out);
        assertFalse(out.contains("0 of 300 late"), "buckets with nothing late are not listed: " + out);
    }

    @Test
    void namesTheThresholdTheProbeCountedWith(@TempDir Path dir) throws Exception {
        // --late-ms 0.5: the worker writes the threshold it counted with
        Files.writeString(
                dir.resolve("1-43.json"),
                "{\"adapter\":\"ws-preframed\",\"clients\":1600,\"pid\":43,\"lateUs\":500,\"buckets\":["
                        + "[179631218300,[300,3,800]]]}");
        Run run = summarise(dir);
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("300 deliveries, 3 over 0.5 ms (1.00 %)"), run.out());
    }

    @Test
    void anEmptyDirectoryIsAnErrorNotAnEmptyReport(@TempDir Path dir) throws Exception {
        Run run = summarise(dir);
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("no probe files"), run.out());
    }
}
