"""A Janus WebRTC gateway of the test's own on loopback: its config folder under a temporary
directory, only the HTTP transport (127.0.0.1, a free port) and the VideoRoom plugin loaded so
that it starts in well under a second. Tests that need it skip, with a notice, only where the
`janus` binary is absent (tools/system-packages installs it)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

JANUS = shutil.which("janus") or "/usr/bin/janus"
ADMIN_KEY = "renda-test-videoroom-admin-key"
LIB = "/usr/lib/x86_64-linux-gnu/janus"


def _lib_dir() -> Path:
    for d in (Path(LIB), *Path("/usr/lib").glob("*/janus")):
        if (d / "plugins").is_dir():
            return d
    return Path(LIB)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_config(folder: Path, port: int) -> None:
    lib = _lib_dir()
    plugins = sorted(p.name for p in (lib / "plugins").glob("libjanus_*.so"))
    transports = sorted(p.name for p in (lib / "transports").glob("libjanus_*.so"))
    # nat: candidates on every interface including loopback (a machine with no network but
    # lo still connects the browser to Janus); no STUN (closed network).
    (folder / "janus.jcfg").write_text(f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{lib}/plugins"
  transports_folder = "{lib}/transports"
  events_folder = "{lib}/events"
  loggers_folder = "{lib}/loggers"
  debug_level = 3
  session_timeout = 60
}}
media: {{
  rtp_port_range = "20000-40000"
}}
nat: {{
  nice_debug = false
  ignore_mdns = true
  ice_ignore_list = "vmnet"
}}
plugins: {{
  disable = "{",".join(p for p in plugins if p != "libjanus_videoroom.so")}"
}}
transports: {{
  disable = "{",".join(t for t in transports if t != "libjanus_http.so")}"
}}
events: {{
  broadcast = false
}}
loggers: {{
}}
""")
    (folder / "janus.transport.http.jcfg").write_text(f"""general: {{
  json = "plain"
  base_path = "/janus"
  http = true
  port = {port}
  interface = "lo"
  ip = "127.0.0.1"
  https = false
}}
admin: {{
  admin_http = false
}}
cors: {{
}}
""")
    (folder / "janus.plugin.videoroom.jcfg").write_text(f"""general: {{
  admin_key = "{ADMIN_KEY}"
  lock_rtp_forward = true
}}
""")


def janus_available() -> bool:
    return Path(JANUS).exists()


@contextmanager
def running_janus(tmp: Path):
    """Start Janus; yield its API URL (http://127.0.0.1:<port>/janus); kill it at the end."""
    if not janus_available():
        pytest.skip("janus 未安装（Debian 软件包 janus）：跳过视频会议测试 / janus binary absent: skipped")
    folder = tmp / "janus-conf"
    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    _write_config(folder, port)
    log = open(tmp / "janus.log", "w")
    proc = subprocess.Popen(
        [JANUS, "-F", str(folder), "-C", str(folder / "janus.jcfg"), "-o"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/janus"
    try:
        for _ in range(100):
            if proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{url}/info", timeout=1) as r:
                    if json.load(r).get("janus") == "server_info":
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("Janus did not answer in 10 s")
        if proc.poll() is not None:
            raise RuntimeError(f"Janus exited: {(tmp / 'janus.log').read_text()[-2000:]}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
