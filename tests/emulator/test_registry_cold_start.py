"""Concurrent first requests in a fresh process all find their operation (the registry loads once, completely).

The registry imports the operation modules on first use; it used to mark itself loaded before importing them, so
threads arriving meanwhile got "does not implement ListUserPools". Only a fresh process has an unloaded registry,
hence the subprocesses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
THREADS = 24

# The service model is loaded before the threads start, so they all reach the registry at the same moment.
SCRIPT = f"""
import json, threading
from harness.cognito import service
from harness.emulator import Emulator
service.operation("ListUserPools").input_shape
emulator = Emulator()
start = threading.Barrier({THREADS})
answers = []
def first_call():
    start.wait()
    reply = emulator.handle("AWSCognitoIdentityProviderService.ListUserPools", b'{{"MaxResults": 10}}')
    answers.append(reply.status if reply.status == 200 else json.loads(reply.body)["message"])
threads = [threading.Thread(target=first_call) for _ in range({THREADS})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(answers))
"""


def test_concurrent_first_calls_in_a_fresh_process_all_succeed() -> None:
    for _ in range(3):  # the old race lost 15 of 16 calls almost every time; three fresh processes leave no doubt
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == [200] * THREADS
