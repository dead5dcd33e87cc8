#!/usr/bin/env python3
"""Compares two builds of procman, A and B, on what a build changes without load: the CPU of one `procman status`
process (user + sys), the master's start-up (to 'Listening at', event 50, and to all workers ready, event 3), its RSS
and PSS 20 s after start, and its CPU at rest (perf stat task-clock over the 30 s after that). A and B alternate run by
run (ABAB...), so that other work on the machine shifts both alike; medians are printed as a markdown table.

    bench/compare_builds.py A_DIR B_DIR [--status-runs 15] [--master-runs 3] [--workers 2]

A_DIR and B_DIR are build outputs holding the procman executable (e.g. a copy of artifacts/bin/Procman/release/ from
another commit), or a procman.dll to run under the dotnet host (artifacts/bin/Procman/release/procman.dll against
artifacts/bin/Procman/release/ compares the framework-dependent build with the native executable). The app is the sample HelloApi of this repository's Release build. Loopback only, no load.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from harness import master_event, parse_ts, proc_memory_mb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "artifacts", "bin", "HelloApi", "release", "HelloApi.dll")
READY_TIMEOUT = 60
REST_BEFORE_MEMORY = 20
IDLE_WINDOW = 30


class Master:
    def __init__(self, procman, workers, socket_path):
        self.cmd = [*procman, "run", APP, "-w", str(workers), "-b", "127.0.0.1:0", "--log-format", "json",
                    "--control-socket", socket_path, "-e", "Logging__LogLevel__Default=Warning"]
        self.workers = workers
        self.events = []
        self.cond = threading.Condition()

    def start(self):
        self.t_start = time.time()
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, text=True, errors="replace")
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for line in self.proc.stdout:
            if (ev := master_event(line)) is not None:
                with self.cond:
                    self.events.append(ev)
                    self.cond.notify_all()

    def wait_ready(self):
        deadline = self.t_start + READY_TIMEOUT
        with self.cond:
            while True:
                listening = [e for e in self.events if e["EventId"]["Id"] == 50]
                ready = {e["Slot"]: e for e in self.events if e["EventId"]["Id"] == 3}
                if listening and len(ready) >= self.workers:
                    break
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"procman did not get ready: {self.cmd}")
                self.cond.wait(0.5)
        self.listening = parse_ts(listening[0]["@t"]) - self.t_start
        self.all_ready = max(parse_ts(e["@t"]) for e in ready.values()) - self.t_start

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def task_clock_ms(pid, seconds):
    out = subprocess.run(["perf", "stat", "-e", "task-clock", "-p", str(pid), "--", "sleep", str(seconds)],
                         capture_output=True, text=True).stderr
    m = re.search(r"([\d.,]+)\s+msec\s+task-clock", out)
    if not m:
        raise RuntimeError(f"perf stat printed no task-clock:\n{out}")
    return float(m.group(1).replace(",", ""))


def status_cpu_ms(procman, socket_path):
    proc = subprocess.Popen([*procman, "status", "--control-socket", socket_path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, code, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(code)
    if proc.returncode != 0:
        raise RuntimeError(f"procman status exited with {proc.returncode}")
    return (usage.ru_utime + usage.ru_stime) * 1000


def command(build):
    """The command line that starts procman from a build output directory, or from a procman.dll."""
    return ["dotnet", build] if build.endswith(".dll") else [os.path.join(build, "procman")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a_dir")
    parser.add_argument("b_dir")
    parser.add_argument("--status-runs", type=int, default=15)
    parser.add_argument("--master-runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    builds = {"A": command(args.a_dir), "B": command(args.b_dir)}
    results = {name: {"status": [], "listening": [], "ready": [], "rss": [], "pss": [], "idle": []} for name in builds}

    with tempfile.TemporaryDirectory() as tmp:
        # One master serves both builds' clients: the client's cost is the process, not the master's answer.
        socket_path = os.path.join(tmp, "status.sock")
        master = Master(builds["B"], args.workers, socket_path).start()
        try:
            master.wait_ready()
            for name, procman in builds.items():
                status_cpu_ms(procman, socket_path)  # warm the page cache
            for _ in range(args.status_runs):
                for name, procman in builds.items():
                    results[name]["status"].append(status_cpu_ms(procman, socket_path))
        finally:
            master.stop()

        for run in range(args.master_runs):
            for name, procman in builds.items():
                master = Master(procman, args.workers, os.path.join(tmp, f"{name}{run}.sock")).start()
                try:
                    master.wait_ready()
                    time.sleep(max(0, master.t_start + REST_BEFORE_MEMORY - time.time()))
                    rss, pss, _ = proc_memory_mb(master.proc.pid)
                    idle = task_clock_ms(master.proc.pid, IDLE_WINDOW) / IDLE_WINDOW
                finally:
                    master.stop()
                r = results[name]
                r["listening"].append(master.listening)
                r["ready"].append(master.all_ready)
                r["rss"].append(rss)
                r["pss"].append(pss)
                r["idle"].append(idle)
                print(f"run {run + 1} {name}: listening {master.listening:.3f} s, all ready {master.all_ready:.3f} s, "
                      f"RSS {rss:.1f} MB, PSS {pss:.1f} MB, idle {idle:.2f} ms/s", file=sys.stderr)

    rows = [("procman status, user+sys CPU (ms)", "status", "{:.0f}"),
            ("start → listening, event 50 (s)", "listening", "{:.3f}"),
            (f"start → all {args.workers} workers ready (s)", "ready", "{:.3f}"),
            ("master RSS 20 s after start (MB)", "rss", "{:.1f}"),
            ("master PSS 20 s after start (MB)", "pss", "{:.1f}"),
            ("master CPU at rest, 20-50 s (ms/s)", "idle", "{:.2f}")]
    print("| measure | A | B | B/A |")
    print("| --- | --- | --- | --- |")
    for label, key, fmt in rows:
        a = statistics.median(results["A"][key])
        b = statistics.median(results["B"][key])
        print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {b / a:.2f} |")
    print(f"\nmedians of {args.status_runs} status runs and {args.master_runs} master runs each, A and B alternating; "
          f"status spreads (min-max): A {min(results['A']['status']):.0f}-{max(results['A']['status']):.0f}, "
          f"B {min(results['B']['status']):.0f}-{max(results['B']['status']):.0f} ms")


if __name__ == "__main__":
    main()
