# Sourced by the scripts that start a node: picks the JVM and its default options, in one place.
#   JAVA       $JAVA, else $JAVA_HOME/bin/java, else java on PATH (Java 17 or newer; the jar targets 17)
#   JAVA_OPTS  $JAVA_OPTS when set, else the defaults for that JVM's version (below)
# Why these defaults: benchmarks/README.md, "Collector and heap". The collector follows the CPUs
# the node may use (tickroom_cpus below), as the JVM's own ergonomics do:
# - two or more: ZGC with a 1 GiB heap (generational on 21+, compact object headers on 25+),
#   because the tick loop's tail comes first. In-process, 1,000 matches x 8 at 20 Hz on 2 cores
#   (scripts/bench-tick 1000 30 0, Java 17): ZGC lateness p99 1.0 ms, where Parallel paused 3-6 ms
#   every 1.6 s (p99 2.5 ms, max 20-24 ms).
# - one: the Parallel collector with a fixed 32 MB young generation in a 512 MB heap. On one core
#   ZGC's concurrent threads take the tick thread's core. Side by side with raw ws, node pinned to
#   one core, W1 200 x 8 (scripts/bench-peers, 3 reps, 2026-12-03): Parallel 1.13x ws's CPU per
#   delivery where ZGC took 1.15x, RSS 170-177 MB against 497-499, 7.8-7.9 KB per idle connection
#   against 23.4-24.4 (Socket.IO 12.7-15.3); 0 skipped ticks either way, also with a neighbour
#   spinning on that core (the evening before, on a noisier machine: Parallel 0 in 3 of 3 reps,
#   ZGC 0-57). A fixed young generation (no adaptive sizing) keeps each young pause short and the
#   same. As root, the tick threads (Thread.MAX_PRIORITY) run at nice -5 and the compiler threads
#   stay at nice 0 (-XX:CompilerThreadPriority=0; ThreadPriorityPolicy=1 alone would put them at
#   -4): on one core C2's compiles of the first minute took the tick thread's core for tens of ms
#   at a time (W1 200, 2026-12-03: tick lateness p99 33-39 ms with every thread at nice 0, 2.8-7.0
#   ms with the JIT at nice 10). The JIT at nice 10 made the connects of a fresh node about 25 %
#   slower (its code stayed cold while they took the core), and at nice 0 the tick thread still
#   comes first: side by side under contention (2026-12-04) delivery p99 0.98-2.18 ms beside raw
#   ws's 1.13-1.98, 0 skipped, connects as fast as with no priorities (benchmarks/README.md). Not
#   as another user: the JVM would print a warning at every start, and a process may raise its
#   threads' nice values, not lower them.
# ZGC costs memory on 17 (no compressed references, the heap mapped three times). -Xms = -Xmx: a
# heap that grows takes its new pages from the kernel as it goes, zeroed on first touch (12 % of
# the node's CPU in the W2 side-by-side, perf: clear_page under shmem_fault); sized once, it
# neither grows nor shrinks. JAVA_OPTS replaces all of it.
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
    if (( $(tickroom_cpus) == 1 )); then
      JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=6"
      # the tick thread comes before the JIT: the JVM applies thread priorities (as nice
      # values) only with ThreadPriorityPolicy=1, which it allows without a warning only to root
      # (TICKROOM_EUID is for the tests)
      if (( ${TICKROOM_EUID:-$EUID} == 0 )); then
        JAVA_OPTS+=" -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=0"
      fi
    elif (( v >= 25 )); then
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
# The CPUs this process may use, as the JVM counts them: its CPU affinity (taskset, cpuset),
# lowered by a CPU quota (cgroup v2 cpu.max, v1 cpu.cfs_quota_us) rounded up; 1 when unknown.
# TICKROOM_CGROUP_ROOT (default /sys/fs/cgroup) and TICKROOM_PROC_CGROUP (/proc/self/cgroup) are
# for the tests.
tickroom_cpus() {
  local n q="" p="" cg f root=${TICKROOM_CGROUP_ROOT:-/sys/fs/cgroup}
  n=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null) || n=1
  cg=$(sed -n 's/^0:://p' "${TICKROOM_PROC_CGROUP:-/proc/self/cgroup}" 2>/dev/null | head -1)
  for f in "$root${cg%/}/cpu.max" "$root/cpu.max"; do
    if [[ -r $f ]]; then read -r q p < "$f"; break; fi
  done
  if [[ -z $q && -r $root/cpu/cpu.cfs_quota_us && -r $root/cpu/cpu.cfs_period_us ]]; then
    q=$(< "$root/cpu/cpu.cfs_quota_us") p=$(< "$root/cpu/cpu.cfs_period_us")
  fi
  # "max" (v2) or -1 (v1): no quota
  if [[ $q =~ ^[0-9]+$ && $p =~ ^[0-9]+$ ]] && (( q > 0 && p > 0 )); then
    q=$(( (q + p - 1) / p ))
    (( q < n )) && n=$q
  fi
  (( n >= 1 )) || n=1
  echo "$n"
}
