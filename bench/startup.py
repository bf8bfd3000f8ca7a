#!/usr/bin/env python3
"""Cold start of the bootstrap, Native AOT against JIT, measured side by side.

For each run a fresh process is started against a Runtime API served here on 127.0.0.1
with one ping invocation waiting; the figure is the time from just before the process is
started to the moment its response POST has arrived. AOT and JIT runs are interleaved so
both see the same machine load; one unmeasured run of each warms the file cache first.
Also reports the bootstrap's size and each process's peak RSS (VmHWM).

    python3 bench/startup.py            # publishes AOT and builds JIT first
    python3 bench/startup.py --no-build --runs 20
"""
import argparse, http.server, json, os, signal, statistics, subprocess, sys, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join(ROOT, "src", "DuoQServerless.Functions")
AOT = os.path.join(ROOT, "artifacts", "bootstrap", "bootstrap")
JIT_DIR = os.path.join(PROJECT, "bin", "Release", "net10.0")
EVENT = json.dumps({"detail": {"eventName": "AuthorizeSecurityGroupIngress"}}).encode()


class Run:
    """One process's invocation: handed out once, then the API waits until the run ends."""
    def __init__(self, request_id):
        self.request_id = request_id
        self.handed_out = False
        self.responded = threading.Event()
        self.finished = threading.Event()
        self.response_at = None
        self.body = None


class RuntimeApi(http.server.BaseHTTPRequestHandler):
    run = None  # the current Run, set by the driver
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        run = RuntimeApi.run
        if self.path != "/2018-06-01/runtime/invocation/next" or run is None:
            return self._answer(404)
        if run.handed_out:
            run.finished.wait(30)  # like Lambda: no more work for this sandbox
            return self._answer(500)
        run.handed_out = True
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", run.request_id)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30_000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:duoq-ping")
        self.send_header("Content-Length", str(len(EVENT)))
        self.end_headers()
        self.wfile.write(EVENT)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.perf_counter()
        run = RuntimeApi.run
        if run is not None and self.path.endswith(f"/invocation/{run.request_id}/response"):
            run.response_at, run.body = now, body
            run.responded.set()
        self._answer(202)

    def _answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Each measured process is killed with its keep-alive connection open: that reset is expected.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None


def measure(command, address, request_id):
    run = Run(request_id)
    RuntimeApi.run = run
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_LAMBDA_")}
    env.update({"AWS_LAMBDA_RUNTIME_API": address, "_HANDLER": "ping", "DOTNET_NOLOGO": "1"})
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not run.responded.wait(60):
            raise SystemExit(f"{command}: no response within 60 s; stderr: {process.stderr.read(4000) if process.poll() is not None else ''}")
        rss = peak_rss_kib(process.pid)
        reply = json.loads(run.body)
        assert reply["requestId"] == request_id, reply
        return (run.response_at - started) * 1000, rss
    finally:
        process.kill()
        process.wait()
        run.finished.set()


def build():
    subprocess.run([os.path.join(ROOT, "scripts", "publish-bootstrap.sh")], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["dotnet", "build", PROJECT, "-c", "Release", "-nologo"], check=True, stdout=subprocess.DEVNULL)


def summary(name, figures):
    ms = [m for m, _ in figures]
    rss = [r for _, r in figures if r is not None]
    line = f"{name:4} median {statistics.median(ms):7.1f} ms   min {min(ms):7.1f}   max {max(ms):7.1f}"
    return line + (f"   peak RSS median {statistics.median(rss) / 1024:5.1f} MiB" if rss else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-build", action="store_true", help="use the existing publish and build outputs")
    args = parser.parse_args()
    if not args.no_build:
        build()
    jit = ["dotnet", os.path.join(JIT_DIR, "bootstrap.dll")]
    for path in (AOT, jit[1]):
        if not os.path.exists(path):
            raise SystemExit(f"{path} is missing: run without --no-build")

    server = Server(("127.0.0.1", 0), RuntimeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{server.server_address[1]}"

    commands = {"aot": [AOT], "jit": jit}
    for name, command in commands.items():
        measure(command, address, f"warm-{name}")
    results = {name: [] for name in commands}
    for i in range(args.runs):
        for name, command in commands.items():
            results[name].append(measure(command, address, f"{name}-{i}"))
    server.shutdown()

    jit_bytes = sum(os.path.getsize(os.path.join(JIT_DIR, f)) for f in os.listdir(JIT_DIR) if os.path.isfile(os.path.join(JIT_DIR, f)))
    print(f"bootstrap (AOT, linux-x64): {os.path.getsize(AOT):,} bytes ({os.path.getsize(AOT) / 2**20:.1f} MiB)")
    print(f"JIT build output: {jit_bytes:,} bytes, plus the .NET runtime")
    print(f"process start -> first response posted, {args.runs} interleaved runs each:")
    for name in commands:
        print("  " + summary(name, results[name]))


if __name__ == "__main__":
    main()
