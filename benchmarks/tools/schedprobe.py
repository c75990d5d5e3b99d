#!/usr/bin/env python3
"""Precise CPU and wake-ups of one peerbench run's server, beside the tick-sampled figure.

    cd target/bench-peers/harness      # bench-peers' copy of ../shared/peerbench, after one sitting
    TICKROOM_JAR=$PWD/../tickroom-server.jar \
      python3 ../../../benchmarks/tools/schedprobe.py tickroom "--rooms 200 --room-size 8" 14 28
    python3 ../../../benchmarks/tools/schedprobe.py ws-preframed "--rooms 200 --room-size 8" 9 23

Starts `node bench.mjs --adapter ADAPTER ARGS` on core 1 (the harness pins the server to core 0),
and between T1 and T2 seconds after the start (inside the measured window: Tickroom's fill takes
about 4 s, raw ws's 0.5 s) reads, for the server process (the java or node process pinned to core
0): its on-CPU time from /proc/<pid>/task/*/schedstat (nanoseconds, precise) and from
/proc/<pid>/task/*/stat (charged by the scheduler tick), the same per thread group, its threads'
voluntary context switches, and the load client's (client-worker) voluntary switches: how often
the server woke, and how often it woke the reader.
"""
import collections
import os
import re
import subprocess
import sys
import time

adapter, args, t1, t2 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
env = dict(os.environ)
env.setdefault("TICKROOM_PB_SERVER_ARGS", "--max-lobby-players 4096 --lobby-creates-per-minute-per-ip 1000000")
env.setdefault("TICKROOM_PB_JAVA_OPTS", "-XX:+UseZGC -Xms1g -Xmx1g -XX:+ExitOnOutOfMemoryError")
start = time.time()
run = subprocess.Popen("ulimit -n 20000; exec taskset -c 1 node bench.mjs --adapter %s %s" % (adapter, args),
                       shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read(path):
    with open(path) as f:
        return f.read()


def server_pid():
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            comm, cmd = read('/proc/%s/comm' % d).strip(), read('/proc/%s/cmdline' % d)
            if 'Cpus_allowed_list:\t0\n' in read('/proc/%s/status' % d) and \
                    (comm == 'java' or (comm == 'node' and 'server' in cmd)):
                return d
        except OSError:
            pass
    raise SystemExit('no server process pinned to core 0 (is T1 inside the run?)')


def sample(pid):
    cpu, ticks, switches = collections.Counter(), 0, collections.Counter()
    for t in os.listdir('/proc/%s/task' % pid):
        try:
            group = re.sub(r'[-#]?\d+$', '', read('/proc/%s/task/%s/comm' % (pid, t)).strip())
            cpu[group] += int(read('/proc/%s/task/%s/schedstat' % (pid, t)).split()[0])
            f = read('/proc/%s/task/%s/stat' % (pid, t)).rsplit(')', 1)[1].split()
            ticks += int(f[11]) + int(f[12])
            switches[group] += int(re.search(r'\nvoluntary_ctxt_switches:\s+(\d+)',
                                             read('/proc/%s/task/%s/status' % (pid, t))).group(1))
        except OSError:
            pass
    client = 0
    for d in os.listdir('/proc'):
        try:
            if d.isdigit() and 'client-worker' in read('/proc/%s/cmdline' % d):
                for t in os.listdir('/proc/%s/task' % d):
                    client += int(re.search(r'\nvoluntary_ctxt_switches:\s+(\d+)',
                                            read('/proc/%s/task/%s/status' % (d, t))).group(1))
        except OSError:
            pass
    return time.time(), cpu, ticks, switches, client


while time.time() - start < t1:
    time.sleep(0.05)
pid = server_pid()
a = sample(pid)
while time.time() - start < t2:
    time.sleep(0.05)
b = sample(pid)
dt = b[0] - a[0]
ticks_hz = os.sysconf('SC_CLK_TCK')
print('%s: %.1f %% of a core (schedstat), %.1f %% (tick-charged), over %.1f s'
      % (adapter, 100 * (sum(b[1].values()) - sum(a[1].values())) / 1e9 / dt,
         100 * (b[2] - a[2]) / ticks_hz / dt, dt))
top = sorted(b[1], key=lambda k: a[1].get(k, 0) - b[1][k])[:8]
print('  by thread: ' + ' '.join('%s=%.2f' % (k, 100 * (b[1][k] - a[1].get(k, 0)) / 1e9 / dt) for k in top))
top = sorted(b[3], key=lambda k: a[3].get(k, 0) - b[3][k])[:5]
print('  server wake-ups/s: ' + ' '.join('%s=%.0f' % (k, (b[3][k] - a[3].get(k, 0)) / dt) for k in top))
print('  client wake-ups/s: %.0f' % ((b[4] - a[4]) / dt))
run.wait()
