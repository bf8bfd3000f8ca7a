#!/usr/bin/env python3
"""Start moto's server for DuoQServerless tests and `duoq demo`.

Written for moto 5.2.1 (`pip install 'moto[server]==5.2.1'`). It adds what this project
needs that plain `moto_server` lacks:

* Step Functions: moto deep-copies a StateMachine on every StartExecution; the copy drags
  in the backend's RLock and every execution after the first answers 500. The copy shares
  `backend` and `executions` with the original instead.
* DynamoDB: real DynamoDB applies writes to one item one at a time, so of several
  concurrent conditional writes exactly one wins. moto's server is threaded and its
  backend has no lock: two concurrent conditional puts can both succeed. Writes are
  serialized here, so idempotency tests see DynamoDB's behaviour.
* MOTO_PORT / TEST_SERVER_MODE_ENDPOINT point at this server, so Step Functions service
  integrations (sqs:sendMessage.waitForTaskToken, sns:publish) call back into it.
* AWS managed policies (AdministratorAccess...) are loaded into IAM.
* --parent-pid: the server exits when that process is gone, so a test host that crashes
  never leaves a server behind.

Usage: duoq_moto.py --port N [--parent-pid PID]
"""
import argparse
import copy
import os
import sys
import threading
import time


def _patch_step_functions() -> None:
    from moto.stepfunctions import models

    shared = ("backend", "executions")

    def _deepcopy(self, memo):
        clone = models.StateMachine.__new__(models.StateMachine)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            setattr(clone, key, value if key in shared else copy.deepcopy(value, memo))
        return clone

    models.StateMachine.__deepcopy__ = _deepcopy


def _serialize_dynamodb_writes() -> None:
    import functools
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    writes = ("put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items", "execute_transaction")

    def serialized(method):
        @functools.wraps(method)
        def call(*args, **kwargs):
            with lock:
                return method(*args, **kwargs)

        return call

    for name in writes:
        setattr(DynamoDBBackend, name, serialized(getattr(DynamoDBBackend, name)))


def _exit_with_parent(parent_pid: int) -> None:
    def watch() -> None:
        while True:
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass  # alive, owned by another user
            time.sleep(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args()

    endpoint = f"http://{args.host}:{args.port}"
    os.environ["MOTO_PORT"] = str(args.port)
    os.environ["TEST_SERVER_MODE_ENDPOINT"] = endpoint
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    _patch_step_functions()
    _serialize_dynamodb_writes()
    if args.parent_pid:
        _exit_with_parent(args.parent_pid)

    from moto.server import main as moto_main

    sys.stdout.write(f"duoq-moto listening on {endpoint}\n")
    sys.stdout.flush()
    moto_main(["-H", args.host, "-p", str(args.port)])


if __name__ == "__main__":
    main()
