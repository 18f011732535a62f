"""A real JupyterHub on 127.0.0.1 and a simulated class of students that use it over HTTP, for deploy/tests.

- ``Hub``: starts JupyterHub (with configurable-http-proxy) from deploy/jupyterhub/jupyterhub_config.py, in
  which only the spawner's user handling and the ports are replaced; stops it and every process it started.
- ``Student``: a browser-like HTTP client (cookies, XSRF tokens, redirects) that signs up, logs in, starts its
  server, opens JupyterLab and runs a notebook in its own kernel through the server's REST API and the kernel
  websocket, as JupyterLab does.
- ``Monitor``: samples the memory and CPU of the hub's process tree, student by student (psutil).

Only the loopback interface is used. Nothing here is mocked: JupyterHub, NativeAuthenticator, the proxy, the
idle culler, jupyterhub-singleuser and the kernels are the real programs.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

REPO = Path(__file__).resolve().parents[2]
DEPLOY_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VENV_BIN = Path(sys.executable).parent
NOTEBOOK = "rnn-course/notebooks/00_start_here.ipynb"  # where course_copy puts 00 in a student's home
HTTP_TIMEOUT = 120  # seconds for one HTTP request (the machine may be busy)

# The test's config: the teacher's file, then only what cannot run here. SystemdSpawner needs systemd and
# root-owned units; SimpleLocalProcessSpawner runs every student as the test's own unix user, with a home per
# student under the test's folder. systemd's MemoryMax (a cgroup limit on all of a student's processes
# together) is replaced by an address-space limit per process (RLIMIT_AS) of the same c.Spawner.mem_limit.
TEST_CONFIG = '''\
# written by deploy/tests/hubclass.py
import os
import resource

from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.utils import random_port

load_subconfig({deploy_config!r})  # everything the teacher gets


class ClassroomTestSpawner(SimpleLocalProcessSpawner):
    """Each student's server as a local process of the test's user, its address space capped at mem_limit."""

    # random_port() returns a port that is free now; the server binds it seconds (on a loaded machine, minutes)
    # later, and two spawns in that window can be handed the same port: seen here with 13 servers starting at
    # once, when the hub then routed one student to another's server (which refused them). The test never
    # hands out a port twice.
    ports_given = set()

    async def start(self):
        port = random_port()
        while port in self.ports_given:
            port = random_port()
        self.ports_given.add(port)
        self.port = port
        return await super().start()

    def make_preexec_fn(self, name):
        make_home = super().make_preexec_fn(name)  # creates and enters the student's home
        limit = int(self.mem_limit or 0)

        def preexec():
            make_home()
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        return preexec

    def get_args(self):
        args = super().get_args()
        if os.getuid() == 0:  # CI runs as root; Jupyter refuses root unless told (authentication stays on)
            args.append("--ServerApp.allow_root=True")
        return args


c.JupyterHub.spawner_class = ClassroomTestSpawner
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.mem_limit = {mem_limit!r}
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def form_xsrf(html: str) -> str:
    """The hidden _xsrf field of a JupyterHub form."""
    match = re.search(r'name="_xsrf"\s+value="([^"]+)"', html)
    if not match:
        raise AssertionError("no _xsrf field in the page:\n" + html[:2000])
    return match.group(1)


def cookie(session: requests.Session, name: str, path: str) -> str | None:
    for c in session.cookies:
        if c.name == name and c.path == path:
            return c.value
    return None


class Hub:
    """JupyterHub started from the teacher's config on 127.0.0.1; ``stop()`` ends it and all it started."""

    def __init__(self, workdir: Path, mem_limit: int, env: dict | None = None):
        self.workdir = Path(workdir)
        self.homes = self.workdir / "homes"
        self.homes.mkdir(parents=True, exist_ok=True)
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = self.workdir / "jupyterhub_config.py"
        self.config.write_text(
            TEST_CONFIG.format(
                deploy_config=str(DEPLOY_CONFIG),
                homes=str(self.homes),
                mem_limit=mem_limit,
                port=self.port,
                hub_port=self.hub_port,
                api_port=self.api_port,
            )
        )
        self.log_path = self.workdir / "jupyterhub.log"
        self.env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {}))
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, float] = {}  # pid -> create_time of every process seen under the hub

    def start(self, timeout: float = 180) -> None:
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(self.config)],
            cwd=self.workdir,  # the hub's database and cookie secret go here
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.request("GET", self.url + "/hub/api", timeout=5).status_code == 200:  # the hub, 127.0.0.1
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"JupyterHub did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def remember_tree(self) -> list[psutil.Process]:
        """The hub and every process under it now; each is remembered for ``leftovers``."""
        if self.proc is None:
            return []
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        for p in procs:
            try:
                self.seen.setdefault(p.pid, p.create_time())
            except psutil.NoSuchProcess:
                pass
        return procs

    def ours(self, p: psutil.Process) -> bool:
        """Whether a process was started by this hub: seen under it, or carrying its API address."""
        try:
            if self.seen.get(p.pid) == p.create_time():
                return True
            return f":{self.hub_port}/" in p.environ().get("JUPYTERHUB_API_URL", "")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return False

    def leftovers(self) -> list[psutil.Process]:
        found = []
        for p in psutil.process_iter():
            if p.pid != os.getpid() and self.ours(p):
                try:
                    if p.status() != psutil.STATUS_ZOMBIE:
                        found.append(p)
                except psutil.NoSuchProcess:
                    pass
        return found

    def stop(self, timeout: float = 60) -> list[str]:
        """Stop the hub (it stops the students' servers and the proxy), then kill whatever is left.

        Returns a description of each process that was still running after the hub's own shutdown (it should
        be empty); after this call none of them runs any more.
        """
        self.remember_tree()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        # the servers and the proxy run in sessions of their own: give them a moment to exit after the hub
        deadline = time.monotonic() + 20
        left = self.leftovers()
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = self.leftovers()
        described = []
        for p in left:
            try:
                described.append(f"{p.pid} {' '.join(p.cmdline())[:160]}")
                os.killpg(os.getpgid(p.pid), signal.SIGKILL)
            except (psutil.NoSuchProcess, ProcessLookupError, PermissionError):
                pass
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(left, timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
        return described


class Admin:
    """The teacher in a browser: signs up (admins are approved at once), logs in, approves students."""

    def __init__(self, hub: Hub, name: str = "teacher", password: str = "Teach-the-class-2026"):
        self.hub, self.name, self.password = hub, name, password
        self.s = requests.Session()
        self.lock = threading.Lock()

    def sign_up_and_log_in(self) -> None:
        page = self.s.get(self.hub.url + "/hub/signup", timeout=HTTP_TIMEOUT)
        r = self.s.post(
            self.hub.url + "/hub/signup",
            data={
                "username": self.name,
                "signup_password": self.password,
                "signup_password_confirmation": self.password,
                "_xsrf": form_xsrf(page.text),
            },
            timeout=HTTP_TIMEOUT,
        )
        assert "The signup was successful" in r.text, r.text[:2000]
        page = self.s.get(self.hub.url + "/hub/login", timeout=HTTP_TIMEOUT)
        r = self.s.post(
            self.hub.url + "/hub/login",
            data={"username": self.name, "password": self.password, "_xsrf": form_xsrf(page.text)},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert r.status_code == 302, (r.status_code, r.text[:1000])

    def approve(self, username: str) -> None:
        """Click the student's "Authorize" link on /hub/authorize, as the teacher does."""
        with self.lock:
            page = self.s.get(self.hub.url + "/hub/authorize", timeout=HTTP_TIMEOUT)
            assert page.status_code == 200 and username in page.text, f"{username} not listed at /hub/authorize"
            r = self.s.get(self.hub.url + f"/hub/authorize/{username}", allow_redirects=False, timeout=HTTP_TIMEOUT)
            assert r.status_code == 302, (r.status_code, r.text[:500])

    def api(self, method: str, path: str, **kw) -> requests.Response:
        with self.lock:
            headers = {"X-XSRFToken": cookie(self.s, "_xsrf", "/hub/") or ""}
            return self.s.request(method, self.hub.url + "/hub/api" + path, headers=headers, timeout=HTTP_TIMEOUT, **kw)


class KernelError(AssertionError):
    pass


@dataclass
class CellResult:
    status: str
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    outputs: list = field(default_factory=list)
    states: list = field(default_factory=list)  # iopub execution states seen, e.g. ["busy", "idle"]


class Student:
    """One student in a browser, driven over HTTP only."""

    def __init__(self, hub: Hub, name: str, password: str | None = None):
        self.hub, self.name = hub, name
        self.password = password or f"rnn-{name}-{uuid.uuid4().hex[:8]}"
        self.s = requests.Session()
        self.base = f"{hub.url}/user/{name}"
        self.ws: websocket.WebSocket | None = None
        self.kernel_id: str | None = None
        self.ws_session = uuid.uuid4().hex
        self.spawn_failures = 0

    # --- the hub's pages -----------------------------------------------------------------------------------
    def sign_up(self, name: str | None = None) -> requests.Response:
        page = self.s.get(self.hub.url + "/hub/signup", timeout=HTTP_TIMEOUT)
        return self.s.post(
            self.hub.url + "/hub/signup",
            data={
                "username": self.name if name is None else name,
                "signup_password": self.password,
                "signup_password_confirmation": self.password,
                "_xsrf": form_xsrf(page.text),
            },
            timeout=HTTP_TIMEOUT,
        )

    def log_in(self, password: str | None = None) -> requests.Response:
        page = self.s.get(self.hub.url + "/hub/login", timeout=HTTP_TIMEOUT)
        return self.s.post(
            self.hub.url + "/hub/login",
            data={
                "username": self.name,
                "password": self.password if password is None else password,
                "_xsrf": form_xsrf(page.text),
            },
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )

    def logged_in(self) -> bool:
        return cookie(self.s, "jupyterhub-hub-login", "/hub/") is not None

    def hub_api(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"X-XSRFToken": cookie(self.s, "_xsrf", "/hub/") or ""}
        return self.s.request(method, self.hub.url + "/hub/api" + path, headers=headers, timeout=HTTP_TIMEOUT, **kw)

    def start_server(self, timeout: float = 600, attempts: int = 3) -> None:
        """"Start My Server", then wait until the hub says it is ready.

        A spawn the hub gives up on (on an overloaded machine: the server or the proxy too slow to answer within
        the hub's timeouts, after which the hub stops that server and shows the student an error) is retried,
        as the student would click "Start My Server" again; each failure is counted in ``spawn_failures``.
        """
        for _ in range(attempts):
            r = self.hub_api("POST", f"/users/{self.name}/server")
            assert r.status_code in (201, 202), (r.status_code, r.text[:500])
            if self.wait_server(ready=True, timeout=timeout):
                return
            self.spawn_failures += 1
        raise AssertionError(f"{self.name}: the hub failed to start the server {attempts} times")

    def stop_server(self, timeout: float = 300) -> None:
        """"Stop My Server", then wait until it has stopped."""
        r = self.hub_api("DELETE", f"/users/{self.name}/server")
        assert r.status_code in (202, 204), (r.status_code, r.text[:500])
        self.wait_server(ready=False, timeout=timeout)
        self.ws, self.kernel_id = None, None

    def wait_server(self, ready: bool, timeout: float) -> bool:
        """Wait for the server to be ready (or gone); False if the hub gave up on a start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.hub_api("GET", f"/users/{self.name}")
            assert r.status_code == 200, (r.status_code, r.text[:500])
            server = r.json().get("servers", {}).get("")
            if ready and server and server.get("ready"):
                return True
            if not server:
                return not ready  # a server that vanished while starting: the spawn failed
            time.sleep(0.5)
        raise AssertionError(f"{self.name}: server not {'ready' if ready else 'stopped'} after {timeout} s")

    # --- the student's own server --------------------------------------------------------------------------
    def open_lab(self) -> requests.Response:
        """Open the server's front page in the browser: the OAuth round trip through the hub, then JupyterLab."""
        return self.s.get(self.base + "/", timeout=HTTP_TIMEOUT)

    def api(self, method: str, path: str, base: str | None = None, **kw) -> requests.Response:
        base = self.base if base is None else base
        xsrf = cookie(self.s, "_xsrf", urlpath(base) + "/") or ""
        return self.s.request(method, base + "/api" + path, headers={"X-XSRFToken": xsrf}, timeout=HTTP_TIMEOUT, **kw)

    def get_notebook(self, path: str = NOTEBOOK) -> dict:
        r = self.api("GET", f"/contents/{path}")
        assert r.status_code == 200, (r.status_code, r.text[:500])
        return r.json()["content"]

    def save_notebook(self, nb: dict, path: str = NOTEBOOK) -> None:
        r = self.api("PUT", f"/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})
        assert r.status_code in (200, 201), (r.status_code, r.text[:500])

    def open_kernel(self, path: str = NOTEBOOK) -> None:
        """Open the notebook with a kernel (a session, as JupyterLab makes), and connect its websocket."""
        r = self.api(
            "POST",
            "/sessions",
            json={"path": path, "name": Path(path).name, "type": "notebook", "kernel": {"name": "python3"}},
        )
        assert r.status_code == 201, (r.status_code, r.text[:500])
        self.kernel_id = r.json()["kernel"]["id"]
        self.connect()

    def connect(self) -> None:
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels"
        # the cookies the browser would send to this URL (the server's login cookie and its _xsrf)
        http_request = requests.Request("GET", f"{self.base}/api/kernels/{self.kernel_id}/channels").prepare()
        cookies = requests.cookies.get_cookie_header(self.s.cookies, http_request) or ""
        self.ws = websocket.create_connection(
            f"{ws_url}?session_id={self.ws_session}", cookie=cookies, timeout=HTTP_TIMEOUT
        )

    def drop_connection(self) -> None:
        """The browser is closed: the TCP connection ends without a goodbye."""
        if self.ws is not None:
            self.ws.shutdown()
            self.ws = None

    def send_execute(self, code: str) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.name,
                        "session": self.ws_session,
                        "msg_type": "execute_request",
                        "version": "5.3",
                        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        return msg_id

    def collect(self, msg_id: str, timeout: float) -> CellResult:
        """Read the kernel's messages until the reply to ``msg_id`` and the kernel's return to idle."""
        deadline = time.monotonic() + timeout
        reply, idle, result = None, False, CellResult(status="")
        while not (reply and idle):
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelError(f"{self.name}: no reply within {timeout} s")
            self.ws.settimeout(left)
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                reply = content
            elif kind == "status":
                result.states.append(content["execution_state"])
                idle = content["execution_state"] == "idle"
            elif kind in ("stream", "execute_result", "display_data", "error"):
                result.outputs.append({"output_type": kind, **content})
        result.status = reply["status"]
        if reply["status"] == "error":
            result.ename, result.evalue = reply.get("ename", ""), reply.get("evalue", "")
            result.traceback = "\n".join(reply.get("traceback", []))
        return result

    def wait_for_restart(self, timeout: float = 300) -> list[str]:
        """After the kernel died: read status messages until the server reports it restarted; return them."""
        deadline, states = time.monotonic() + timeout, []
        while "restarting" not in states:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelError(f"{self.name}: the kernel was not restarted within {timeout} s: {states}")
            self.ws.settimeout(left)
            msg = json.loads(self.ws.recv())
            if msg["header"]["msg_type"] == "status":
                states.append(msg["content"]["execution_state"])
        return states

    def execute(self, code: str, timeout: float = 900) -> CellResult:
        return self.collect(self.send_execute(code), timeout)

    def run_cells(self, cells: list[dict], timeout: float = 900) -> None:
        """Run code cells in order in the open kernel; stop at the first error (as nbval does)."""
        for i, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            code = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            result = self.execute(code, timeout)
            if result.status != "ok":
                raise KernelError(
                    f"{self.name}: cell {i} failed: {result.ename}: {result.evalue}\n{strip_ansi(result.traceback)}"
                )


def urlpath(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1] if url.count("/") > 2 else "/"


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class Monitor(threading.Thread):
    """Samples memory (resident set) and CPU time of every process under the hub, per student."""

    def __init__(self, hub: Hub, interval: float = 1.0):
        super().__init__(daemon=True)
        self.hub, self.interval = hub, interval
        self.stop_event = threading.Event()
        self.owner: dict[tuple[int, float], str] = {}  # (pid, create_time) -> student, or "hub" for the rest
        self.kind: dict[tuple[int, float], str] = {}  # (pid, create_time) -> "kernel" or "server" (or "hub")
        self.cpu: dict[tuple[int, float], float] = {}  # last CPU seconds (user + system) of each process
        self.peak_rss: dict[str, int] = {}  # student -> peak of the summed RSS of their processes
        self.peak_rss_kind: dict[tuple[str, str], int] = {}  # (student, kind) -> peak summed RSS
        self.peak_total = 0  # peak of the summed RSS of the hub, proxy, culler, servers and kernels
        self.samples = 0

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def sample(self) -> None:
        by_owner: dict[str, int] = {}
        by_kind: dict[tuple[str, str], int] = {}
        total = 0
        for p in self.hub.remember_tree():
            try:
                key = (p.pid, p.create_time())
                if key not in self.owner:
                    self.owner[key] = p.environ().get("JUPYTERHUB_USER", "hub")
                    is_kernel = "ipykernel_launcher" in " ".join(p.cmdline())
                    self.kind[key] = "hub" if self.owner[key] == "hub" else "kernel" if is_kernel else "server"
                with p.oneshot():
                    rss = p.memory_info().rss
                    t = p.cpu_times()
                self.cpu[key] = t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            who = self.owner[key]
            by_owner[who] = by_owner.get(who, 0) + rss
            by_kind[who, self.kind[key]] = by_kind.get((who, self.kind[key]), 0) + rss
            total += rss
        for who, rss in by_owner.items():
            self.peak_rss[who] = max(self.peak_rss.get(who, 0), rss)
        for who_kind, rss in by_kind.items():
            self.peak_rss_kind[who_kind] = max(self.peak_rss_kind.get(who_kind, 0), rss)
        self.peak_total = max(self.peak_total, total)
        self.samples += 1

    def cpu_seconds(self, kind: str | None = None) -> dict[str, float]:
        """CPU seconds (user + system) per student, of all their processes or of one kind ("kernel", "server")."""
        out: dict[str, float] = {}
        for key, seconds in self.cpu.items():
            if kind is None or self.kind[key] == kind:
                who = self.owner[key]
                out[who] = out.get(who, 0.0) + seconds
        return out

    def stop(self) -> None:
        self.stop_event.set()
        self.join(10)
