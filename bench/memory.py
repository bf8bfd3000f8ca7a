#!/usr/bin/env python3
"""Memory of the AOT bootstrap serving many ssh-guard invocations in one process.

One process, one Runtime API on 127.0.0.1, moto answering AWS. The invocations cycle through
risky and benign samples of events/ssh (each with a fresh eventID; before each risky one the
port-22 rule is authorized again so the guard really revokes). Each answer is checked against
the status the sample must give. Reports the resident set after the first invocation, its
peak (VmHWM) at the end, and the resident set at the end.

    python3 bench/memory.py --invocations 1000
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cold import AOT, InvalidRun, wait_answer  # noqa: E402
from lambda_runtime import RuntimeApi, function_environment, proc_status_kib, start, stop  # noqa: E402
from moto_account import Moto, SshAccount  # noqa: E402

GOAL_MIB = 32
# (sample, status it must answer, whether the rule must be opened first); risky 1 in 3.
MIX = [
    ("ssh/risky-authorize-ipv4-22.json", "done", True),
    ("ssh/benign-authorize-office-cidr.json", "benign", False),
    ("ssh/benign-authorize-https-world.json", "benign", False),
    ("ssh/risky-authorize-ipv4-22.json", "done", True),
    ("ssh/benign-udp-22-world.json", "benign", False),
    ("ssh/failed-authorize-ipv4-22-unauthorized.json", "attempted", False),
    ("ssh/risky-authorize-ipv4-22.json", "done", True),
    ("ssh/benign-port-range-23-25.json", "benign", False),
    ("ssh/benign-authorize-office-cidr.json", "benign", False),
]


def run(invocations, log=print, extra_env=None):
    if not os.path.exists(AOT):
        raise SystemExit(f"{AOT} is missing: run bench/run.py (it publishes) first")
    load_before = os.getloadavg()
    counts, samples = {}, []
    with tempfile.TemporaryDirectory(prefix="duoq-memory-") as scratch, Moto() as moto, RuntimeApi() as api:
        stderr_path = os.path.join(scratch, "stderr")
        account = SshAccount(moto)
        env = function_environment(api, "ssh-guard", account.function_variables())
        env.update(extra_env or {})
        log_path = os.path.join(scratch, "log")
        process = start([AOT], env, stderr_path, stdout_path=log_path)
        started = time.perf_counter()
        try:
            for i in range(invocations):
                sample, expected, risky = MIX[i % len(MIX)]
                rule_id = account.open_port_22() if risky else None
                reply = wait_answer(api.invoke(account.event(sample, rule_id)), process, stderr_path)
                if reply.get("status") != expected:
                    raise InvalidRun(f"invocation {i} ({sample}): expected {expected}, answered {reply}")
                counts[expected] = counts.get(expected, 0) + 1
                if i == 0:
                    first = (proc_status_kib(process.pid, "VmRSS"), proc_status_kib(process.pid, "VmHWM"))
                if (i + 1) % 100 == 0:
                    samples.append((i + 1, proc_status_kib(process.pid, "VmRSS")))
                    log(f"  memory: {i + 1}/{invocations} invocations, RSS {samples[-1][1] / 1024:.1f} MiB")
            elapsed = time.perf_counter() - started
            end = (proc_status_kib(process.pid, "VmRSS"), proc_status_kib(process.pid, "VmHWM"))
        # The function's own log says why; the scratch directory holding it goes with this block.
        except InvalidRun as e:
            with open(log_path, errors="replace") as f:
                raise InvalidRun(f"{e}\nlast log lines:\n{''.join(f.readlines()[-5:])}") from None
        finally:
            stop(process)
    return {"invocations": invocations, "first": first, "end": end, "samples": samples, "counts": counts,
            "elapsed": elapsed, "load": (load_before, os.getloadavg())}


def markdown(outcome):
    first_rss, first_hwm = outcome["first"]
    end_rss, end_hwm = outcome["end"]
    (before, after) = outcome["load"]
    verdict = "met" if end_hwm / 1024 < GOAL_MIB else "**missed**"
    mix = ", ".join(f"{n} {status}" for status, n in sorted(outcome["counts"].items()))
    lines = [
        "## Memory: the AOT bootstrap serving many invocations",
        "",
        f"One `_HANDLER=ssh-guard` process (Native AOT) served {outcome['invocations']:,} invocations through the "
        f"local Runtime API, AWS answered by moto: {mix} (samples of `events/ssh`, each with a fresh eventID; "
        "before each risky one the port-22 rule was authorized again, so each really revoked). Every answer "
        "was checked against the sample's expected status.",
        "",
        "| after | resident (VmRSS) | peak so far (VmHWM) |",
        "| --- | ---: | ---: |",
        f"| 1st invocation | {first_rss / 1024:.1f} MiB | {first_hwm / 1024:.1f} MiB |",
    ]
    for n, rss in outcome["samples"]:
        if n != outcome["invocations"]:
            lines.append(f"| {n:,} invocations | {rss / 1024:.1f} MiB | |")
    lines += [
        f"| {outcome['invocations']:,} invocations | {end_rss / 1024:.1f} MiB | {end_hwm / 1024:.1f} MiB |",
        "",
        f"- peak RSS {end_hwm / 1024:.1f} MiB; goal under {GOAL_MIB} MiB (Lambda memory 128 MB): {verdict}",
        f"- growth from the 1st invocation to the last: {(end_rss - first_rss) / 1024:+.1f} MiB resident",
        f"- wall time {outcome['elapsed']:.1f} s ({outcome['invocations'] / outcome['elapsed']:.0f} invocations/s, "
        "moto's answers included: not a latency figure)",
        f"- load average (1/5/15 min) before: {before[0]:.2f} / {before[1]:.2f} / {before[2]:.2f}; "
        f"after: {after[0]:.2f} / {after[1]:.2f} / {after[2]:.2f}",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invocations", type=int, default=1000)
    args = parser.parse_args()
    print(markdown(run(args.invocations)))


if __name__ == "__main__":
    main()
