"""``sozialplanung serve --processes 2``: two server processes share one port and stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@pytest.mark.skipif(not hasattr(os, "fork"), reason="several processes need fork")
def test_two_processes_answer_on_one_port_and_end_with_the_parent(tmp_path):
    env = {**os.environ, "SOZIALPLANUNG_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    subprocess.run([BIN / "sozialplanung", "migrate"], env=env, check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [BIN / "sozialplanung", "serve", "--port", str(port), "--processes", "2", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        statuses = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(statuses) < 20:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    statuses.append(page.status)
            except OSError:
                time.sleep(0.3)
        assert statuses == [200] * 20
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=20)
    assert "2 Server-Prozesse mit je 8 Threads." in output
    time.sleep(0.5)
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )
