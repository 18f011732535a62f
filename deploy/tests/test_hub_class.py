"""`make test-hub`: the course served by a real JupyterHub on 127.0.0.1 to a simulated class.

One hub is started from deploy/jupyterhub/jupyterhub_config.py (only the spawner's user handling and the ports
are replaced: hubclass.TEST_CONFIG). Then, all at the same time:

- STUDENTS students (default 10; env RNN_HUB_STUDENTS) each sign up, are refused until the teacher approves them
  on /hub/authorize, log in, start their server, open JupyterLab, run 00_start_here.ipynb top to bottom in their
  own kernel through the server's REST API and kernel websocket (every cell must reply "ok", so every assert in
  the notebook passes), save the notebook with a note of their own, stop their server, start it again and find
  the note unchanged, and fail to reach another student's server and files;
- a student who closes the browser in the middle of the training cell and comes back;
- a student whose cell allocates more memory than the per-student limit;
- a visitor who types a wrong password and tries user names with odd characters.

The teacher's approvals go through the real pages. Wall time, peak memory per student and in total (psutil over
the hub's process tree) are printed on one line and written to build/hub/class_run.json. The hub and every
process it started are stopped at the end, also when a test fails.
"""

from __future__ import annotations

import html
import json
import os
import statistics
import time
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from hubclass import NOTEBOOK, REPO, Admin, Hub, Monitor, Student, strip_ansi

STUDENTS = int(os.environ.get("RNN_HUB_STUDENTS", "10"))
# the per-process address-space cap that stands in for the per-student memory limit (see hubclass.TEST_CONFIG).
# Address space is not memory: a kernel that has imported torch and run 00 maps about 1.5 GB (resident: ~0.4 GB).
MEM_LIMIT = int(os.environ.get("RNN_HUB_TEST_AS_LIMIT", str(3 * 1024**3)))
RESULTS = REPO / "build" / "hub" / "class_run.json"
OWN_NOTE = "# my own notes, {name}: the GRU needed fewer steps than I expected"


def cell_texts(nb: dict) -> list[tuple[str, str]]:
    """(cell type, source) of every cell; the contents API joins a source's lines into one string."""
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def course_notebook() -> dict:
    return json.loads((REPO / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))


def log_in_approved(student: Student, admin: Admin, report: dict) -> None:
    """Sign up, be refused while waiting for approval, get approved by the teacher, log in."""
    r = student.sign_up()
    assert "Your information has been sent to the admin" in r.text, r.text[:1500]
    r = student.log_in()
    report["before_approval"] = (r.status_code, "has not been authorized" in r.text, student.logged_in())
    admin.approve(student.name)
    r = student.log_in()
    assert r.status_code == 302 and student.logged_in(), (r.status_code, r.text[:1500])


def class_student(hub: Hub, admin: Admin, name: str, neighbour: str) -> dict:
    """Everything one student of the class does; returns what was observed."""
    report: dict = {"name": name}
    t0 = time.monotonic()
    s = Student(hub, name)
    log_in_approved(s, admin, report)
    s.start_server()
    lab = s.open_lab()
    report["lab"] = (lab.status_code, lab.url)
    nb = s.get_notebook()
    report["got_copy"] = cell_texts(nb) == cell_texts(course_notebook())
    s.open_kernel()
    t_run = time.monotonic()
    s.run_cells(nb["cells"])  # raises KernelError at the first cell that does not reply "ok"
    report["run_seconds"] = time.monotonic() - t_run
    # the student's own note, saved; then their server is stopped and started again
    note = {"cell_type": "markdown", "id": "own-note", "metadata": {}, "source": OWN_NOTE.format(name=name)}
    nb["cells"].append(note)
    s.save_notebook(nb)
    saved = s.get_notebook()
    s.stop_server()
    s.start_server()
    s.open_lab()
    after = s.get_notebook()
    report["kept_after_restart"] = after == saved and after["cells"][-1]["source"] == note["source"]
    # another student's server, files and hub record are out of reach
    other = f"{hub.url}/user/{neighbour}"
    report["neighbour_api"] = s.api("GET", f"/contents/{NOTEBOOK}", base=other).status_code
    page = s.s.get(other + "/lab", timeout=120)
    report["neighbour_page"] = (page.status_code, "00_start_here" in page.text and "nbformat" in page.text)
    report["neighbour_hub_api"] = s.hub_api("GET", f"/users/{neighbour}").status_code
    report["neighbour_stop"] = s.hub_api("DELETE", f"/users/{neighbour}/server").status_code
    report["seconds"] = time.monotonic() - t0
    report["spawn_failures"] = s.spawn_failures
    return report


def dropout_student(hub: Hub, admin: Admin, name: str) -> dict:
    """Closes the browser (the connection drops) while the training cell runs, comes back, finishes."""
    report: dict = {"name": name}
    s = Student(hub, name)
    log_in_approved(s, admin, report)
    s.start_server()
    s.open_lab()
    nb = s.get_notebook()
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    train = next(i for i, c in enumerate(cells) if "train(" in "".join(c["source"]))
    s.open_kernel()
    s.run_cells(cells[:train])
    s.send_execute("".join(cells[train]["source"]))
    time.sleep(1.0)
    s.drop_connection()
    # the server and the kernel outlive the browser: the kernel is still listed, and finishes the cell
    r = s.api("GET", f"/kernels/{s.kernel_id}")
    report["kernel_after_drop"] = r.status_code
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline and s.api("GET", f"/kernels/{s.kernel_id}").json()["execution_state"] != "idle":
        time.sleep(1)
    # back in a new browser window: same kernel, the training result is there, the rest of 00 runs
    s.ws_session = uuid.uuid4().hex
    s.connect()
    report["result_kept"] = s.execute("print(result.steps_to_target is not None)").outputs
    s.run_cells(cells[train + 1 :])
    report["finished"] = True
    return report


def memory_hog(hub: Hub, admin: Admin, name: str) -> dict:
    """A cell allocates more than the per-student limit; the kernel answers MemoryError and goes on."""
    report: dict = {"name": name}
    s = Student(hub, name)
    log_in_approved(s, admin, report)
    s.start_server()
    s.open_lab()
    s.open_kernel()
    hog = s.execute(f"import numpy as np\nbig = np.ones({MEM_LIMIT // 8 + 1}, dtype=np.float64)\nbig.sum()")
    report["hog"] = (hog.status, hog.ename, hog.evalue)
    report["after"] = s.execute("print(6 * 7)").outputs
    # under systemd (MemoryMax) or Kubernetes, the kernel that crosses the limit is killed instead: the server
    # restarts it, and the student goes on in a fresh kernel
    s.send_execute("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    report["restart_states"] = s.wait_for_restart()
    report["after_restart"] = s.execute("print('fresh', 'big' in globals())").outputs
    report["server_api"] = s.api("GET", "/status").status_code
    return report


def visitor(hub: Hub, admin: Admin) -> dict:
    """A wrong password, and user names with odd characters, while the class runs."""
    report: dict = {}
    s = Student(hub, "visitor01", password="Visitor-pass-2026")
    log_in_approved(s, admin, report)
    s.s.cookies.clear()
    r = s.log_in(password="not-my-password")
    report["wrong_password"] = (r.status_code, "Invalid username or password" in r.text, s.logged_in())
    report["wrong_password_api"] = s.hub_api("GET", "/user").status_code
    r = s.log_in()  # then the right one
    report["right_password_after"] = (r.status_code, s.logged_in())
    odd = ["eve smith", "eve/../teacher", "Ève-accent", "bob<script>", "robert');drop", "x" * 40]
    report["odd"] = {}
    for name in odd:
        r = Student(hub, "unused").sign_up(name)
        is_user = admin.api("GET", "/users/" + requests.utils.quote(name.lower(), safe="")).status_code
        report["odd"][name] = (r.status_code, "Something went wrong" in r.text, is_user)
    # no sign-up request reached the teacher's approval page either (the valid one did)
    with admin.lock:
        page = admin.s.get(hub.url + "/hub/authorize", timeout=120).text
    report["odd_on_approval_page"] = [n for n in odd if html.escape(n.lower()) in page or n.lower() in page]
    report["valid_on_approval_page"] = "visitor01" in page
    return report


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = Hub(tmp_path_factory.mktemp("hub"), mem_limit=MEM_LIMIT)
    try:
        h.start()
        yield h
    finally:
        left = h.stop()
        h.left_after_stop = left


@pytest.fixture(scope="module")
def class_run(hub):
    """The whole class at once; returns every participant's report and the measurements."""
    admin = Admin(hub)
    admin.sign_up_and_log_in()
    monitor = Monitor(hub)
    monitor.start()
    names = [f"student{i:02d}" for i in range(1, STUDENTS + 1)]
    jobs = {name: (class_student, (hub, admin, name, names[(i + 1) % len(names)])) for i, name in enumerate(names)}
    jobs["dropout01"] = (dropout_student, (hub, admin, "dropout01"))
    jobs["hog01"] = (memory_hog, (hub, admin, "hog01"))
    jobs["visitor"] = (visitor, (hub, admin))
    reports, errors = {}, {}

    def run(key):
        fn, args = jobs[key]
        time.sleep(2.0 * list(jobs).index(key))  # a class arrives within half a minute, not in one instant
        try:
            reports[key] = fn(*args)
        except Exception as exc:  # noqa: BLE001 (recorded, asserted by the tests)
            errors[key] = strip_ansi("".join(traceback.format_exception(exc)))

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(run, jobs))
    wall = time.monotonic() - t0
    monitor.sample()
    monitor.stop()
    cpu, kernel_cpu = monitor.cpu_seconds(), monitor.cpu_seconds("kernel")
    mib = 1024**2
    per_student = {n: monitor.peak_rss.get(n, 0) / mib for n in names}
    measured = {
        "students": len(names),
        "class_wall_s": round(wall, 1),
        "run_00_s": {n: round(reports[n]["run_seconds"], 1) for n in names if n in reports},
        "peak_rss_mib": {n: round(v) for n, v in per_student.items()},
        "peak_total_rss_mib": round(monitor.peak_total / mib),
        "kernel_peak_rss_mib": {n: round(monitor.peak_rss_kind.get((n, "kernel"), 0) / mib) for n in names},
        "server_peak_rss_mib": {n: round(monitor.peak_rss_kind.get((n, "server"), 0) / mib) for n in names},
        "hub_proxy_culler_peak_rss_mib": round(monitor.peak_rss.get("hub", 0) / mib),
        "cpu_s": {n: round(cpu.get(n, 0.0), 1) for n in names},
        "kernel_cpu_s": {n: round(kernel_cpu.get(n, 0.0), 1) for n in names},
        "hub_cpu_s": round(cpu.get("hub", 0.0), 1),
        "spawns_retried": sum(r.get("spawn_failures", 0) for r in reports.values()),
        "samples": monitor.samples,
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(measured, indent=1))
    rss = sorted(per_student.values())
    cpus = [measured["cpu_s"][n] for n in names]
    kernel_cpus = [measured["kernel_cpu_s"][n] for n in names]
    runs = list(measured["run_00_s"].values()) or [0.0]
    print(
        f"\nclass of {len(names)} (+3 more) on JupyterHub: wall {wall:.0f} s for everyone, 00 run median "
        f"{statistics.median(runs):.0f} s (shared machine, load {measured['load_average_1min_at_end']}: inflated); "
        f"peak RSS per student median {statistics.median(rss):.0f} MiB, max {rss[-1]:.0f} MiB "
        f"(kernel max {max(measured['kernel_peak_rss_mib'].values())}, server max "
        f"{max(measured['server_peak_rss_mib'].values())}); peak total {monitor.peak_total / mib:.0f} MiB "
        f"(hub+proxy+culler {measured['hub_proxy_culler_peak_rss_mib']}); CPU per student median "
        f"{statistics.median(cpus):.1f} s (kernel {statistics.median(kernel_cpus):.1f} s); "
        f"spawns retried after the hub gave up: {measured['spawns_retried']}"
    )
    return {"reports": reports, "errors": errors, "names": names, "measured": measured, "admin": admin}


def test_every_student_runs_00_to_the_end(class_run, hub):
    assert not {k: v for k, v in class_run["errors"].items()}, "\n\n".join(
        f"--- {k}\n{v}" for k, v in class_run["errors"].items()
    ) + "\n--- hub log\n" + hub.log_tail()
    assert set(class_run["names"]) <= set(class_run["reports"])
    for name in class_run["names"]:
        rep = class_run["reports"][name]
        assert rep["got_copy"], f"{name} did not get the course's 00_start_here.ipynb"
        assert rep["lab"][0] == 200 and rep["lab"][1].endswith("/lab/tree/" + NOTEBOOK), rep["lab"]
    measured = class_run["measured"]
    assert all(measured["peak_rss_mib"][n] > 100 for n in class_run["names"]), "each student's processes measured"
    assert measured["peak_total_rss_mib"] >= sum(sorted(measured["peak_rss_mib"].values())[-2:])


def report_of(class_run, name) -> dict:
    assert name in class_run["reports"], f"{name} did not finish: see test_every_student_runs_00_to_the_end"
    return class_run["reports"][name]


def test_a_student_waits_for_approval(class_run):
    for name in class_run["names"]:
        status, says_not_authorized, logged_in = report_of(class_run, name)["before_approval"]
        assert says_not_authorized and not logged_in, (name, status)


def test_saved_notebook_survives_a_server_restart(class_run):
    for name in class_run["names"]:
        assert report_of(class_run, name)["kept_after_restart"], name


def test_students_cannot_reach_each_other(class_run):
    for name in class_run["names"]:
        rep = report_of(class_run, name)
        assert rep["neighbour_api"] in (403, 404), (name, rep["neighbour_api"])
        status, saw_notebook = rep["neighbour_page"]
        assert status in (403, 404) and not saw_notebook, (name, status)
        assert rep["neighbour_hub_api"] in (403, 404), (name, rep["neighbour_hub_api"])
        assert rep["neighbour_stop"] in (403, 404), (name, rep["neighbour_stop"])


def test_unauthenticated_requests_are_refused(class_run, hub):
    name = class_run["names"][0]
    anon = requests.Session()
    assert anon.get(f"{hub.url}/user/{name}/api/contents/{NOTEBOOK}", timeout=60).status_code in (403, 404)
    assert anon.get(f"{hub.url}/hub/api/users", timeout=60).status_code == 403
    page = anon.get(f"{hub.url}/user/{name}/lab", timeout=60)
    assert "/hub/login" in page.url and "nbformat" not in page.text
    # a made-up token gets nowhere either
    forged = {"Authorization": "token 0123456789abcdef0123456789abcdef"}
    assert anon.get(f"{hub.url}/user/{name}/api/contents", headers=forged, timeout=60).status_code in (403, 404)


def test_wrong_password_and_odd_user_names(class_run):
    rep = report_of(class_run, "visitor")
    status, says_invalid, logged_in = rep["wrong_password"]
    assert says_invalid and not logged_in, rep["wrong_password"]
    assert rep["wrong_password_api"] == 403
    assert rep["right_password_after"] == (302, True)
    for name, (status, says_wrong, is_user) in rep["odd"].items():
        assert status == 200 and says_wrong, (name, status)
        assert is_user == 404, f"{name!r} must not become a user"
    assert rep["odd_on_approval_page"] == [] and rep["valid_on_approval_page"]


def test_a_student_who_closes_the_browser_mid_run(class_run):
    rep = report_of(class_run, "dropout01")
    assert rep["kernel_after_drop"] == 200
    assert any("True" in o.get("text", "") for o in rep["result_kept"]), rep["result_kept"]
    assert rep["finished"]


def test_a_cell_over_the_memory_limit(class_run):
    rep = report_of(class_run, "hog01")
    status, ename, evalue = rep["hog"]
    assert status == "error" and ename == "MemoryError", rep["hog"]
    assert any("42" in o.get("text", "") for o in rep["after"]), rep["after"]
    assert "restarting" in rep["restart_states"], rep["restart_states"]
    assert any("fresh False" in o.get("text", "") for o in rep["after_restart"]), rep["after_restart"]
    assert rep["server_api"] == 200


def test_the_hub_keeps_serving_and_culler_runs(class_run, hub):
    admin = class_run["admin"]
    r = admin.api("GET", "/users")
    assert r.status_code == 200
    running = {u["name"] for u in r.json() if u.get("servers")}
    assert set(class_run["names"]) <= running
    services = admin.api("GET", "/services").json()
    assert "idle-culler" in services, services
    assert services["idle-culler"].get("pid"), "jupyterhub-idle-culler runs as a hub-managed service"


def test_course_pins_did_not_move():
    """Installing requirements-hub.txt left every pin of requirements.txt as it was."""
    from importlib.metadata import version

    moved = []
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, pin = (part.strip() for part in line.split("==", 1))
            if version(name).split("+")[0] != pin:
                moved.append(f"{name}: pinned {pin}, installed {version(name)}")
    assert moved == []


def test_zz_stopping_the_hub_stops_everything(hub, class_run):
    """Last: the hub's own shutdown must end every server, kernel and the proxy."""
    left = hub.stop()
    assert left == [], f"still running after the hub stopped: {left}"
    assert hub.leftovers() == []
