# Sourced by the scripts that start a node: picks the JVM and its default options, in one place.
#   JAVA       $JAVA, else $JAVA_HOME/bin/java, else java on PATH (Java 17 or newer; the jar targets 17)
#   JAVA_OPTS  $JAVA_OPTS when set, else the defaults for that JVM's version (below)
# Why these defaults: benchmarks/README.md, "Collector and heap". In short: ZGC with a bounded heap
# everywhere, because the tick loop's tail comes first. In-process, 1,000 matches x 8 at 20 Hz
# (scripts/bench-tick 1000 20 0, Java 17): ZGC lateness p99 0.26 ms, max 5.0 ms; the Parallel
# collector (512 MB) p99 0.75-1.4 ms, max 26-39 ms (young pauses of 34-48 ms with 35 MB
# surviving); G1 with a 5 ms goal skipped ticks at 200 matches. ZGC costs memory on 17 (no
# compressed references, the heap mapped three times: 1.2 GB RSS at 200 matches where Parallel
# needs 312 MB), so a memory-bound node with few matches per node may prefer
# JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m" (measured in the same README). On 21+ ZGC is
# generational, with compact object headers on 25+. -Xms = -Xmx: a heap that grows takes its
# new pages from the kernel as it goes, zeroed on first touch (12 % of the node's CPU in the W2
# side-by-side, perf: clear_page under shmem_fault); sized once, it neither grows nor shrinks.
# We do not pick a newer JDK by ourselves: the operator's java (or JAVA_HOME) is the one that runs.
tickroom_java() {
  if [[ -z "${JAVA:-}" ]]; then
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
      JAVA="$JAVA_HOME/bin/java"
    else
      JAVA=java
    fi
  fi
  local v
  v=$(tickroom_java_version "$JAVA")
  if (( v < 17 )); then
    echo "tickroom: $JAVA is Java $v; Tickroom needs Java 17 or newer (set JAVA_HOME)" >&2
    return 2
  fi
  if [[ -z "${JAVA_OPTS:-}" ]]; then
    if (( v >= 25 )); then
      JAVA_OPTS="-XX:+UseZGC -XX:+UseCompactObjectHeaders -Xms1g -Xmx1g"
    elif (( v >= 23 )); then
      JAVA_OPTS="-XX:+UseZGC -Xms1g -Xmx1g"
    elif (( v >= 21 )); then
      JAVA_OPTS="-XX:+UseZGC -XX:+ZGenerational -Xms1g -Xmx1g"
    else
      JAVA_OPTS="-XX:+UseZGC -Xms1g -Xmx1g"
    fi
  fi
  export JAVA JAVA_OPTS
}
# The feature version of a java binary (17, 21, 25...); 0 when it does not run.
tickroom_java_version() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | grep -E '^[0-9]+$' || echo 0
}
