"""A Lambda Runtime API served on 127.0.0.1 for the benchmarks, and process measurement helpers.

The driver queues invocations; a function process polls /invocation/next and posts its
response (or error) back, as it would in Lambda. Each invocation records when its
/next was answered and when its response arrived (time.perf_counter), so a driver can
measure process start -> first response posted without the process's help.
"""
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid

PREFIX = "/2018-06-01/runtime"


class Invocation:
    def __init__(self, event, request_id=None):
        self.request_id = request_id or str(uuid.uuid4())
        self.event = event if isinstance(event, bytes) else json.dumps(event).encode()
        self.handed_out_at = None
        self.answered_at = None
        self.answered = threading.Event()
        self.body = None
        self.failed = False

    def wait(self, timeout):
        if not self.answered.wait(timeout):
            raise TimeoutError(f"invocation {self.request_id}: no answer within {timeout} s")
        if self.failed:
            raise RuntimeError(f"invocation {self.request_id} failed: {self.body[:2000]!r}")
        return json.loads(self.body)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        api = self.server.api
        if self.path != f"{PREFIX}/invocation/next":
            return self._answer(404)
        while True:
            if api.closed:
                return self._answer(500)  # no more work: the sandbox is going away
            try:
                invocation = api.pending.get(timeout=0.2)
                break
            except queue.Empty:
                continue
        invocation.handed_out_at = time.perf_counter()
        api.by_id[invocation.request_id] = invocation
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", invocation.request_id)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30_000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", api.function_arn)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(invocation.event)))
        self.end_headers()
        self.wfile.write(invocation.event)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.perf_counter()
        api = self.server.api
        if self.path == f"{PREFIX}/init/error":
            api.init_error = body
            for invocation in list(api.by_id.values()) + list(api.pending.queue):
                invocation.failed, invocation.body, invocation.answered_at = True, b"init error: " + body, now
                invocation.answered.set()
            return self._answer(202)
        parts = self.path[len(PREFIX):].split("/")  # ['', 'invocation', id, 'response'|'error']
        invocation = api.by_id.get(parts[2]) if len(parts) == 4 and parts[1] == "invocation" else None
        if invocation is None:
            return self._answer(404)
        invocation.answered_at, invocation.body, invocation.failed = now, body, parts[3] == "error"
        invocation.answered.set()
        self._answer(202)

    def _answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A measured process is killed with its keep-alive connection open: that reset is expected.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class RuntimeApi:
    """One function's Runtime API; `with RuntimeApi(...) as api:` stops it at the end."""

    def __init__(self, function_arn="arn:aws:lambda:us-east-1:123456789012:function:duoq-ssh-guard"):
        self.function_arn = function_arn
        self.pending = queue.Queue()
        self.by_id = {}
        self.closed = False
        self.init_error = None
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self._server.server_address[1]}"

    def invoke(self, event, request_id=None):
        invocation = Invocation(event, request_id)
        self.pending.put(invocation)
        return invocation

    def close(self):
        self.closed = True
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def proc_status_kib(pid, field):
    """VmHWM (peak resident set) or VmRSS (resident now) of a live process, in KiB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def function_environment(api, handler, extra):
    """The process environment of a function: this one's minus anything AWS or Lambda, plus the function's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "_HANDLER", "DUOQ_"))}
    env.update({"AWS_LAMBDA_RUNTIME_API": api.address, "_HANDLER": handler, "DOTNET_NOLOGO": "1"})
    env.update(extra)
    return env


def start(command, env, stderr_path=None, stdout_path=None):
    """Starts a function process; its log lines (stdout) and stderr go to the files named, if any."""
    stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    return subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr)


def stop(process):
    if process.poll() is None:
        process.kill()
    process.wait()
