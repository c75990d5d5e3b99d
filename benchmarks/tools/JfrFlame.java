import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A flame graph (SVG, drawn top-down: the threads on top, the frames that allocate or burn the
 * CPU at the bottom of each tower) of one kind of JFR event, with no tool beyond the JDK:
 *
 * <pre>
 * java benchmarks/tools/JfrFlame.java REC.jfr OUT.svg cpu|alloc|lock|park [THREAD-SUBSTRING]
 * java benchmarks/tools/JfrFlame.java REC.jfr - summary
 * </pre>
 *
 * cpu: jdk.ExecutionSample (one count per sample); alloc: jdk.ObjectAllocationSample weighted by
 * bytes; lock: jdk.JavaMonitorEnter weighted by blocked time; park: jdk.ThreadPark weighted by
 * parked time. Each stack's root is its thread's name (digits folded, so a pool is one tower).
 * summary prints GC pauses, GC CPU, thread CPU by thread and the top frames.
 */
public final class JfrFlame {
    private static final int WIDTH = 1400;
    private static final int ROW = 16;

    static final class Node {
        final String name;
        final Map<String, Node> children = new HashMap<>();
        long weight;

        Node(String name) {
            this.name = name;
        }

        Node child(String n) {
            return children.computeIfAbsent(n, Node::new);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: JfrFlame REC.jfr OUT.svg cpu|alloc|lock|park|summary [thread-substring]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        String kind = args[2];
        String threadFilter = args.length > 3 ? args[3] : "";
        List<RecordedEvent> events = RecordingFile.readAllEvents(in);
        if (kind.equals("summary")) {
            summary(events);
            return;
        }
        String type =
                switch (kind) {
                    case "cpu" -> "jdk.ExecutionSample";
                    case "alloc" -> "jdk.ObjectAllocationSample";
                    case "lock" -> "jdk.JavaMonitorEnter";
                    case "park" -> "jdk.ThreadPark";
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                };
        Node root = new Node("all");
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals(type) || e.getStackTrace() == null) {
                continue;
            }
            String thread = threadName(e);
            if (!thread.contains(threadFilter)) {
                continue;
            }
            long w =
                    switch (kind) {
                        case "alloc" -> e.getLong("weight");
                        case "lock", "park" -> e.getDuration().toNanos() / 1000;
                        default -> 1;
                    };
            List<RecordedFrame> frames = new ArrayList<>(e.getStackTrace().getFrames());
            root.weight += w;
            add(root, thread, frames, kind.equals("alloc") ? e.getClass("objectClass").getName() : null, w);
        }
        String unit =
                switch (kind) {
                    case "alloc" -> "bytes";
                    case "lock", "park" -> "µs";
                    default -> "samples";
                };
        try (Writer out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            svg(out, root, in.getFileName() + " — " + type + (threadFilter.isEmpty() ? "" : " (" + threadFilter + ")"), unit);
        }
        System.out.printf("%s: %d %s in %s%n", args[1], root.weight, unit, type);
    }

    private static void add(Node root, String thread, List<RecordedFrame> frames, String cls, long w) {
        Node n = root.child(fold(thread));
        n.weight += w;
        for (int i = frames.size() - 1; i >= 0; i--) {
            n = n.child(frame(frames.get(i)));
            n.weight += w;
        }
        if (cls != null) {
            n = n.child("[" + cls + "]");
            n.weight += w;
        }
    }

    private static String threadName(RecordedEvent e) {
        RecordedThread t = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread();
        if (t == null && e.hasField("eventThread")) {
            t = e.getThread("eventThread");
        }
        return t == null ? "?" : t.getJavaName() == null ? t.getOSName() : t.getJavaName();
    }

    private static String fold(String thread) {
        return thread.replaceAll("\\d+", "N");
    }

    private static String frame(RecordedFrame f) {
        String cls = f.getMethod().getType().getName();
        int dot = cls.lastIndexOf('.');
        return (dot < 0 ? cls : cls.substring(dot + 1)) + "." + f.getMethod().getName();
    }

    private static void svg(Writer out, Node root, String title, String unit) throws IOException {
        int depth = depth(root);
        int height = (depth + 3) * ROW;
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
                + "\" font-family=\"monospace\" font-size=\"11\">\n");
        out.write("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        out.write("<text x=\"4\" y=\"13\">" + esc(title + " — total " + root.weight + " " + unit) + "</text>\n");
        draw(out, root, 0, WIDTH, 2 * ROW, root.weight, unit);
        out.write("</svg>\n");
    }

    private static void draw(Writer out, Node n, double x, double w, int y, long total, String unit)
            throws IOException {
        if (w < 0.3) {
            return;
        }
        int hue = Math.abs(n.name.hashCode()) % 60;
        String fill = n.name.startsWith("[") ? "hsl(200,70%,70%)" : "hsl(" + (hue + 10) + ",80%," + 60 + "%)";
        double pct = 100.0 * n.weight / Math.max(1, total);
        out.write(String.format(
                "<g><title>%s (%d %s, %.2f%%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.3\"/>",
                esc(n.name), n.weight, unit, pct, x, y, w, ROW - 1, fill));
        if (w > 40) {
            String label = n.name;
            int chars = (int) (w / 6.6);
            if (label.length() > chars) {
                label = label.substring(0, Math.max(0, chars - 2)) + "..";
            }
            out.write(String.format("<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + ROW - 4, esc(label)));
        }
        out.write("</g>\n");
        double cx = x;
        List<Node> kids = new ArrayList<>(n.children.values());
        kids.sort(Comparator.comparing(k -> k.name));
        for (Node k : kids) {
            double kw = w * k.weight / Math.max(1, n.weight);
            draw(out, k, cx, kw, y + ROW, total, unit);
            cx += kw;
        }
    }

    private static int depth(Node n) {
        int d = 0;
        for (Node k : n.children.values()) {
            d = Math.max(d, depth(k));
        }
        return d + 1;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void summary(List<RecordedEvent> events) {
        long pauses = 0;
        Duration pauseTotal = Duration.ZERO;
        Duration pauseMax = Duration.ZERO;
        Map<String, double[]> threadCpu = new TreeMap<>();
        Map<String, Long> topFrames = new HashMap<>();
        Map<String, Long> byThread = new TreeMap<>();
        long samples = 0;
        long[] allocTotal = {0};
        Map<String, Long> allocBy = new HashMap<>();
        double jvmUser = 0, jvmSys = 0, machine = 0;
        int cpuN = 0;
        for (RecordedEvent e : events) {
            String t = e.getEventType().getName();
            switch (t) {
                case "jdk.GCPhasePause" -> {
                    pauses++;
                    pauseTotal = pauseTotal.plus(e.getDuration());
                    if (e.getDuration().compareTo(pauseMax) > 0) {
                        pauseMax = e.getDuration();
                    }
                }
                case "jdk.ThreadCPULoad" -> {
                    RecordedThread th = e.getThread();
                    String name = fold(th == null ? "?" : String.valueOf(th.getJavaName() == null ? th.getOSName() : th.getJavaName()));
                    double[] acc = threadCpu.computeIfAbsent(name, k -> new double[3]);
                    acc[0] += e.getFloat("user");
                    acc[1] += e.getFloat("system");
                    acc[2]++;
                }
                case "jdk.CPULoad" -> {
                    jvmUser += e.getFloat("jvmUser");
                    jvmSys += e.getFloat("jvmSystem");
                    machine += e.getFloat("machineTotal");
                    cpuN++;
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocTotal[0] += w;
                    String cls = e.getClass("objectClass").getName();
                    RecordedStackTrace st = e.getStackTrace();
                    String site = "?";
                    if (st != null) {
                        for (RecordedFrame f : st.getFrames()) {
                            String c = f.getMethod().getType().getName();
                            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                                site = frame(f);
                                break;
                            }
                        }
                    }
                    allocBy.merge(cls + " @ " + site, w, Long::sum);
                }
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedStackTrace st = e.getStackTrace();
                    byThread.merge(fold(threadName(e)), 1L, Long::sum);
                    if (st != null && !st.getFrames().isEmpty()) {
                        topFrames.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                    }
                }
                default -> {}
            }
        }
        System.out.printf("GC pauses: %d, total %.1f ms, max %.2f ms%n", pauses, pauseTotal.toNanos() / 1e6, pauseMax.toNanos() / 1e6);
        if (cpuN > 0) {
            System.out.printf("process CPU: user %.1f%% sys %.1f%% of the machine; machine total %.1f%%%n",
                    100 * jvmUser / cpuN, 100 * jvmSys / cpuN, 100 * machine / cpuN);
        }
        System.out.println("thread CPU (mean share of one core... as JFR reports, per sampled interval), summed over folded names:");
        threadCpu.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .limit(15)
                .forEach(en -> {
                    double[] v = en.getValue();
                    System.out.printf("  %-40s user %5.1f%% sys %5.1f%% (%d samples)%n", en.getKey(), 100 * v[0] / Math.max(1, v[2]) * 1, 100 * v[1] / Math.max(1, v[2]), (int) v[2]);
                });
        System.out.println("execution samples: " + samples + " by thread " + byThread);
        System.out.printf("allocation (sampled, weighted): %.1f MB%n", allocTotal[0] / 1e6);
        allocBy.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(30)
                .forEach(en -> System.out.printf("  %8.1f MB %5.1f%% %s%n", en.getValue() / 1e6, 100.0 * en.getValue() / Math.max(1, allocTotal[0]), en.getKey()));
        long all = samples;
        topFrames.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(25)
                .forEach(en -> System.out.printf("  %6d %5.1f%% %s%n", en.getValue(), 100.0 * en.getValue() / Math.max(1, all), en.getKey()));
    }
}
