#!/usr/bin/env python3
"""CPU per thread of a command: runs it N times and prints, per thread name, the median CPU in ms
(user + system from /proc/<pid>/task/*/stat, polled every 5 ms, so the last few ms before each thread
ends can be missed). Shows where a JVM's CPU goes beside the main thread: the JIT compilers, the
collector (the serial one runs in the "VM Thread"), Lifeboat's own threads.

    bench/threads.py 7 bin/lifeboat verify ID --level checksum --config c.yaml

Used for the per-thread numbers in docs/performance.md (issue 16). The command's output is discarded.
"""
import collections
import os
import statistics
import subprocess
import sys
import time


def sample(pid, seen, tick):
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return
    for t in tasks:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        seen[t] = (name, (int(fields[11]) + int(fields[12])) * 1000 // tick)


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    n, cmd = int(sys.argv[1]), sys.argv[2:]
    tick = os.sysconf("SC_CLK_TCK")
    per = collections.defaultdict(list)
    for i in range(n):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = {}
        while p.poll() is None:
            sample(p.pid, seen, tick)
            time.sleep(0.005)
        total = collections.Counter()
        for name, ms in seen.values():
            total[name] += ms
        for name in set(per) | set(total):
            per[name] += [0] * (i - len(per[name]))  # a thread that did not exist in earlier runs
            per[name].append(total.get(name, 0))
    print("load average %.1f, %d runs" % (os.getloadavg()[0], n))
    for name, v in sorted(per.items(), key=lambda x: -statistics.median(x[1])):
        if statistics.median(v) > 0:
            print("%-20s %6.0f ms  %s" % (name, statistics.median(v), v))


if __name__ == "__main__":
    main()
