#!/usr/bin/env python3
"""Interleaved A/B timing of whole commands: each labelled command runs once as a warm-up, then all
of them in turn (A B C A B C ...) N times, so drift in a shared machine's load hits every side alike.
Prints the load average seen, and per command the median wall time, the fastest run and the median
CPU (user + system from wait4, children the process reaped included).

    bench/ab.py 9 'before=/opt/old/bin/lifeboat --version' 'after=bin/lifeboat --version'
    bench/ab.py 7 'a=mcp:bin/lifeboat-mcp --config c.yaml'   # time to the stdio server's initialize answer

A command is run by `sh -c 'exec ...'`. With the prefix `mcp:` the command is a stdio MCP server: an
`initialize` request is written to its stdin and the time is taken at the first line of its answer
(its CPU is then the whole process's, until it exits on the closed stdin).
Used for the before/after pairs in docs/performance.md (issue 16).
"""
import os
import statistics
import subprocess
import sys
import time

INIT = (b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"ab","version":"1"}}}\n')


def run(cmd):
    mcp = cmd.startswith("mcp:")
    if mcp:
        cmd = cmd[4:]
    start = time.monotonic()
    p = subprocess.Popen(["sh", "-c", "exec " + cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    wall = None
    if mcp:
        p.stdin.write(INIT)
        p.stdin.flush()
        line = p.stdout.readline()
        wall = time.monotonic() - start
        if b"serverInfo" not in line:
            sys.exit("no initialize answer from: %s\n%r" % (cmd, line[:500]))
    p.stdin.close()
    p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if wall is None:
        wall = time.monotonic() - start
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("failed: " + cmd)
    return wall, usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    n = int(sys.argv[1])
    cmds = [a.split("=", 1) for a in sys.argv[2:]]
    for _, c in cmds:
        run(c)  # warm-up: page cache, start-up archives
    results = {label: [] for label, _ in cmds}
    loads = []
    for _ in range(n):
        for label, c in cmds:
            results[label].append(run(c))
        loads.append(os.getloadavg()[0])
    print("load average %.1f-%.1f, %d runs each, interleaved" % (min(loads), max(loads), n))
    for label, _ in cmds:
        walls = [x[0] for x in results[label]]
        cpus = [x[1] for x in results[label]]
        print("%-14s wall %.3f s (fastest %.3f)  cpu %.3f s" % (
            label, statistics.median(walls), min(walls), statistics.median(cpus)))


if __name__ == "__main__":
    main()
