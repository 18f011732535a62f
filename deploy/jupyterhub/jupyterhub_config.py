# JupyterHub for a class taking the course, on one server (the set-up of "The Littlest JupyterHub").
#
# How to install it step by step, how to approve students and the capacity table: docs/classroom.md,
# "Running the class on JupyterHub". In short:
#   - the course is checked out in RNN_COURSE_DIR (default: the checkout holding this file, e.g. /opt/rnn-course)
#     and `make hub-setup` there installs the course's pinned packages, JupyterHub and the proxy into its .venv;
#   - the hub runs from that .venv as root (deploy/jupyterhub/jupyterhub.service), listening on 127.0.0.1:8000
#     behind a TLS reverse proxy (Caddy or nginx) that is the only thing the students' browsers reach;
#   - students sign up on the hub's page, the teacher approves them at /hub/authorize (NativeAuthenticator);
#   - each student's server runs as its own systemd unit, as a throw-away system user (systemd DynamicUser),
#     with its memory and CPU capped, and opens JupyterLab on 00_start_here.ipynb in the student's own copy
#     of the course (deploy/jupyterhub/course_copy.py; a student's edits survive an update of the course);
#   - idle servers are stopped by jupyterhub-idle-culler.
#
# `make test-hub` runs this very file (it is loaded, then only the spawner's user handling and the ports are
# replaced for a test on 127.0.0.1) with a simulated class of students; see tests/hub/.
#
# Settings a teacher may want to change are read from the environment (set them in jupyterhub.service):
#   RNN_HUB_ADMINS        comma-separated admin user names (default "teacher"); an admin signs up like a student
#                         and is approved at once
#   RNN_HUB_MEM_LIMIT     memory per student, all their processes together (default "2G"; see the capacity table)
#   RNN_HUB_CPU_LIMIT     CPU cores per student (default "1")
#   RNN_HUB_CULL_TIMEOUT  seconds without activity before a student's server is stopped (default 3600)
#   RNN_COURSE_DIR        the course checkout (default: the one holding this file)
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

COURSE_DIR = Path(os.environ.get("RNN_COURSE_DIR", Path(__file__).resolve().parents[2]))
VENV_BIN = Path(sys.executable).parent  # the hub and the students' servers share the course's .venv
ADMINS = {name.strip() for name in os.environ.get("RNN_HUB_ADMINS", "teacher").split(",") if name.strip()}
MEM_LIMIT = os.environ.get("RNN_HUB_MEM_LIMIT", "2G")
CPU_LIMIT = float(os.environ.get("RNN_HUB_CPU_LIMIT", "1"))
CULL_TIMEOUT = int(os.environ.get("RNN_HUB_CULL_TIMEOUT", "3600"))
# where each student's copy of the course goes, relative to their home
STUDENT_COURSE = "rnn-course"

# --- network: the hub, the proxy and every student's server listen on the loopback interface only -------------
c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # the public entry is the TLS reverse proxy in front of it
c.JupyterHub.hub_ip = "127.0.0.1"
c.Spawner.ip = "127.0.0.1"
# the proxy, configurable-http-proxy, installed by `make hub-setup` into build/hub (or found on PATH)
_chp = COURSE_DIR / "build" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
if _chp.exists():
    c.ConfigurableHTTPProxy.command = [str(_chp)]

# --- authentication: students sign up, the teacher approves them ----------------------------------------------
# For a class run from a learning management system (Moodle, Canvas, Blackboard...), use LTI 1.3 instead
# (`pip install jupyterhub-ltiauthenticator`, c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.
# LTI13Authenticator"); for a university single sign-on, OAuthenticator (GenericOAuthenticator, AzureAdOAuthenticator,
# GoogleOAuthenticator...). Both are documented in docs/classroom.md. Everything below the authenticator stays.
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.NativeAuthenticator.open_signup = False  # a new account waits for the teacher's approval at /hub/authorize
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5  # then the name is blocked for a while (against guessing)
c.NativeAuthenticator.seconds_before_next_try = 120
c.Authenticator.admin_users = ADMINS
# NativeAuthenticator itself only lets approved students in; JupyterHub 5+ also wants allow_all for that
c.Authenticator.allow_all = True
# names that are valid unix and systemd unit names (lower case, digits, "-" and "_", a letter first)
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,31}$"

# --- the students' servers: one systemd unit each, memory and CPU capped ----------------------------------------
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True  # no unix accounts to create; home is /var/lib/<name>, kept between runs
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.Spawner.mem_limit = MEM_LIMIT  # systemd MemoryMax: the kernel that crosses it is killed, the server restarts it
c.Spawner.cpu_limit = CPU_LIMIT  # systemd CPUQuota
# when a whole class logs in at once, a server may need minutes to start (the default 60 s / 30 s are for idle
# machines); Zero to JupyterHub's default is 300 s as well
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    # one torch / BLAS thread per CPU core the student is given (more only fight for the same core)
    "RNN_COURSE_THREADS": str(max(1, int(CPU_LIMIT))),
    "OMP_NUM_THREADS": str(max(1, int(CPU_LIMIT))),
}
# copy the course into the student's home (new files only), then start the usual single-user server
c.Spawner.cmd = [
    str(VENV_BIN / "python"),
    str(COURSE_DIR / "deploy" / "jupyterhub" / "course_copy.py"),
    "--source",
    str(COURSE_DIR),
    "--dest",
    f"~/{STUDENT_COURSE}",
    "--",
    str(VENV_BIN / "jupyterhub-singleuser"),
]
c.Spawner.default_url = f"/lab/tree/{STUDENT_COURSE}/notebooks/00_start_here.ipynb"
c.Spawner.args = [
    # a kernel left behind in a closed tab is shut down after 30 min idle (its memory counts against the limit)
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
]

# --- idle servers are stopped (a student's files stay; the next login starts the server again) ----------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(10, min(300, CULL_TIMEOUT // 4))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
