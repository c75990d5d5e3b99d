package io.tickroom.server.scripts;

import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Started by {@link JavaDefaultsTest} with java.sh's options: runs a real {@link TickScheduler}, has
 * the JIT compile something, then prints {@code name=nice} for the tick and compiler threads, read
 * from {@code /proc/self/task/<tid>/stat} (the kernel's view, not the JVM's).
 */
public final class ThreadNiceProbe {
    public static void main(String[] args) throws Exception {
        try (TickScheduler ticks = new TickScheduler(1, 1, TimeSource.SYSTEM)) {
            ticks.start();
            long sum = 0;
            for (int i = 0; i < 2_000_000; i++) {
                sum += Integer.toString(i).hashCode(); // hot enough that the compiler threads exist
            }
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(ThreadNiceProbe::print);
            }
            System.err.println(sum);
        }
    }

    private static void print(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm")).trim();
            if (comm.startsWith("tickroom-tick") || comm.contains("CompilerThre")) {
                String stat = Files.readString(task.resolve("stat"));
                // after "(comm) ": state is field 3; nice is field 19
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                System.out.println(comm + "=" + f[16]);
            }
        } catch (IOException e) {
            // the thread ended while we looked
        }
    }
}
