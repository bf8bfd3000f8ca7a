#!/usr/bin/env python3
"""Cold start of the public-SSH guard on a risky sample, its AWS calls answered by moto.

For each run the sample's port-22 rule is opened again in moto, the sample gets that rule's
id and a fresh eventID, and a new process is started against a Runtime API on 127.0.0.1
with the invocation already waiting. The figure is the time from just before the process
is started to the moment its response POST has arrived: init (runtime, clients, policy)
plus the whole guard (tags, conditional put, describe, revoke, update, publish). A run
counts only if the response says the rule was revoked and moto no longer has it.

  (a) aot     artifacts/bootstrap/bootstrap (Native AOT), _HANDLER=ssh-guard
  (b) jit     dotnet bootstrap.dll, the same code on the JIT
  (c) python  bench/baseline/ssh_guard.py, the same work with boto3

Runs are interleaved a, b, c so all three see the same machine load; one unmeasured run of
each warms the file cache first.

    python3 bench/cold.py --runs 20        # expects the AOT publish and the JIT build (bench/run.py makes them)
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lambda_runtime import RuntimeApi, function_environment, proc_status_kib, start, stop  # noqa: E402
from moto_account import Moto, SshAccount  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
AOT = os.path.join(ROOT, "artifacts", "bootstrap", "bootstrap")
JIT = os.path.join(ROOT, "src", "DuoQServerless.Functions", "bin", "Release", "net10.0", "bootstrap.dll")
BASELINE = os.path.join(BENCH, "baseline", "ssh_guard.py")
SAMPLE = "ssh/risky-authorize-ipv4-22.json"
COMMANDS = {
    "aot": [AOT],
    "jit": ["dotnet", JIT],
    "python": [sys.executable, BASELINE],
}
LABELS = {"aot": "(a) Native AOT bootstrap", "jit": "(b) same code on the JIT", "python": "(c) Python + boto3 baseline"}
GOALS = {"jit": 10, "python": 20}  # AOT at most 1/N of it


class InvalidRun(Exception):
    pass


def wait_answer(invocation, process, stderr_path, timeout=60):
    deadline = time.monotonic() + timeout
    while not invocation.answered.wait(0.05):
        if process.poll() is not None or time.monotonic() > deadline:
            with open(stderr_path, errors="replace") as f:
                raise InvalidRun(f"{process.args[0]}: no response (exit {process.poll()}); stderr: {f.read()[-2000:]}")
    if invocation.failed:
        raise InvalidRun(f"{process.args[0]}: error report {invocation.body[:2000]!r}")
    return invocation.wait(0)


def measure(name, account, stderr_path):
    """One cold run of one implementation: (ms to first response, ms to first /next, peak RSS KiB)."""
    rule_id = account.open_port_22()
    with RuntimeApi() as api:
        invocation = api.invoke(account.event(SAMPLE, rule_id))
        env = function_environment(api, "ssh-guard", account.function_variables())
        started = time.perf_counter()
        process = start(COMMANDS[name], env, stderr_path)
        try:
            reply = wait_answer(invocation, process, stderr_path)
            peak = proc_status_kib(process.pid, "VmHWM")
        finally:
            stop(process)
    if reply.get("status") != "done" or reply.get("action") != "revoke-ingress-rules":
        raise InvalidRun(f"{name}: the response does not say the rule was revoked: {reply}")
    if account.is_open(rule_id):
        raise InvalidRun(f"{name}: answered {reply} but rule {rule_id} is still open in moto")
    return (invocation.answered_at - started) * 1000, (invocation.handed_out_at - started) * 1000, peak


def measure_floor(account):
    """moto's share: the guard's six calls as raw HTTP requests from this process, in ms."""
    rule_id = account.open_port_22()
    started = time.perf_counter()
    account.guard_calls(rule_id)
    return (time.perf_counter() - started) * 1000


def run(runs, names=tuple(COMMANDS), log=print):
    for name in names:
        if not os.path.exists(COMMANDS[name][-1]):
            raise SystemExit(f"{COMMANDS[name][-1]} is missing: run bench/run.py (it publishes and builds) first")
    load_before = os.getloadavg()
    results = {name: [] for name in names}
    floor = []
    with tempfile.TemporaryDirectory(prefix="duoq-cold-") as scratch, Moto() as moto:
        stderr_path = os.path.join(scratch, "stderr")
        account = SshAccount(moto)
        for name in names:
            measure(name, account, stderr_path)  # warm-up, not counted
        measure_floor(account)
        for i in range(runs):
            for name in names:
                results[name].append(measure(name, account, stderr_path))
            floor.append(measure_floor(account))
            log(f"  cold run {i + 1}/{runs}: " + "  ".join(f"{n} {results[n][-1][0]:.0f} ms" for n in names) + f"  (moto floor {floor[-1]:.0f} ms)")
    return {"runs": runs, "results": results, "floor": floor, "load": (load_before, os.getloadavg()),
            "aot_bytes": os.path.getsize(AOT) if os.path.exists(AOT) else None}


def medians(figures):
    total, init, rss = zip(*figures)
    return statistics.median(total), statistics.median(init), statistics.median(r for r in rss if r), min(total), max(total)


def ratios(outcome):
    results = outcome["results"]
    if "aot" not in results:
        return {}
    aot = statistics.median(m for m, _, _ in results["aot"])
    return {other: aot / statistics.median(m for m, _, _ in results[other]) for other in GOALS if other in results}


def markdown(outcome):
    results, (before, after) = outcome["results"], outcome["load"]
    lines = [
        "## Cold start: public-SSH guard, risky sample, AWS answered by moto",
        "",
        f"Process start to the first invocation's response POST, `_HANDLER=ssh-guard` on `events/{SAMPLE}` "
        f"(port 22 open to 0.0.0.0/0). Median of {outcome['runs']} runs each, interleaved a, b, c, after one "
        "unmeasured warm-up each. Before every run the rule is authorized again in moto and the event gets its "
        "rule id and a fresh eventID; a run counts only if the response says `done` / `revoke-ingress-rules` "
        "and moto no longer has the rule (every run here did). \"Init\" is process start to the first "
        "`/invocation/next`; the rest is the guard's work: DescribeSecurityGroups (tags), conditional PutItem, "
        "DescribeSecurityGroupRules, RevokeSecurityGroupIngress, UpdateItem, SNS Publish.",
        "",
        "| implementation | median ms | init ms (median) | min ms | max ms | peak RSS (VmHWM) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in results.items():
        total, init, rss, low, high = medians(figures)
        lines.append(f"| {LABELS[name]} | {total:.1f} | {init:.1f} | {low:.1f} | {high:.1f} | {rss / 1024:.1f} MiB |")
    floor = statistics.median(outcome["floor"])
    lines += [
        f"| moto's share: the guard's 6 calls as pre-built raw HTTP requests | {floor:.1f} | | "
        f"{min(outcome['floor']):.1f} | {max(outcome['floor']):.1f} | |",
        "",
    ]
    if "aot" in results:
        aot = statistics.median(m for m, _, _ in results["aot"])
        note = (f"- moto's answers are about {floor:.0f} ms of the AOT bootstrap's {aot:.0f} ms ({100 * floor / aot:.0f}%), "
                "measured in the same rounds; every implementation waits as long for them")
        if "python" in results:
            python = statistics.median(m for m, _, _ in results["python"])
            note += f". A guard taking no time of its own would give a/c = {floor / python:.3f} (1/{python / floor:.0f})"
        lines.append(note)
    for other, ratio in ratios(outcome).items():
        goal = GOALS[other]
        verdict = "met" if ratio <= 1 / goal else "**missed**"
        lines.append(f"- a/{'b' if other == 'jit' else 'c'} (AOT / {other}) = **{ratio:.3f}** (1/{1 / ratio:.1f}); goal at most 1/{goal}: {verdict}")
    if outcome["aot_bytes"]:
        lines.append(f"- bootstrap size: {outcome['aot_bytes'] / 2**20:.1f} MiB")
    lines.append(f"- load average (1/5/15 min) before: {before[0]:.2f} / {before[1]:.2f} / {before[2]:.2f}; "
                 f"after: {after[0]:.2f} / {after[1]:.2f} / {after[2]:.2f}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default=",".join(COMMANDS), help="aot,jit,python (default all)")
    args = parser.parse_args()
    outcome = run(args.runs, tuple(args.only.split(",")))
    print(markdown(outcome))


if __name__ == "__main__":
    main()
