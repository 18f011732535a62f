"""A notebook's environment: ``setup_notebook`` (seeds, threads, plot style, device; the first code cell of every
notebook calls it) and ``environment_report`` (the versions installed against the pins).

``setup_notebook`` is also importable as ``from rnn_helpers import setup_notebook``. Introduced in
00_start_here.ipynb.
"""

from __future__ import annotations

import os
import random

import numpy as np

from rnn_helpers._checks import check_int, check_seed

# Colour-blind-safe cycle (Okabe & Ito 2008), large enough text to read on a projector.
COURSE_STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "image.cmap": "viridis",
}
# The course palette: Okabe & Ito's eight colour-blind-safe colours, by name. Plots pick colours by these names
# (through rnn_helpers.viz.style); vermilion marks what matters (targets, marked steps), grey is context.
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PINK, SKY_BLUE, YELLOW, BLACK = "#CC79A7", "#56B4E9", "#F0E442", "#000000"
OKABE_ITO = [BLUE, ORANGE, GREEN, VERMILION, PINK, SKY_BLUE, YELLOW, BLACK]
"""The colour cycle ``setup_notebook`` sets, in this order."""


def apply_style() -> None:
    """Set the course's matplotlib style (colour-blind-safe colours, light grid, no top/right spines)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(COURSE_STYLE)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=OKABE_ITO)


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, numpy's global generator and torch (CPU and CUDA)."""
    import torch

    seed = check_seed("seed", seed)
    if seed is None:
        raise TypeError("seed must be an integer, got None")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def limit_blas_threads(n: int) -> None:
    """Run numpy's BLAS (OpenBLAS or MKL) on ``n`` threads.

    The from-scratch models multiply small matrices, where BLAS threads cost more than they gain; on a busy
    2-core machine they made the scratch layers over ten times slower. ``setup_notebook`` sets 1.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=check_int("n", n, low=1), user_api="blas")


def setup_notebook(seed: int = 0, *, threads: int | None = None, style: bool = True):
    """Prepare a notebook: seed python, numpy and torch; set the course's plot style; return the device.

    numpy's BLAS is limited to one thread (see ``limit_blas_threads``); torch keeps its own thread count.

    Args:
        seed: the notebook's seed; a re-run with the same seed gives the same numbers.
        threads: torch's intra-op threads. ``None`` keeps torch's default, unless the environment variable
            ``RNN_COURSE_THREADS`` is set (the test harness sets it when notebooks run side by side).
        style: apply the course's matplotlib style.

    Returns:
        ``torch.device("cuda")`` when a GPU is available, else ``torch.device("cpu")``. The course runs on the
        CPU; notebooks move their models to this device only where it is safe to do so.

    Introduced in 00_start_here.ipynb.
    """
    import torch

    seed = check_seed("seed", seed)
    if seed is None:
        raise TypeError("seed must be an integer, got None")
    if threads is None and os.environ.get("RNN_COURSE_THREADS"):
        threads = int(os.environ["RNN_COURSE_THREADS"])
    if threads is not None:
        torch.set_num_threads(check_int("threads", threads, low=1))
    limit_blas_threads(1)
    seed_everything(seed)
    if style:
        apply_style()
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


CORE_PACKAGES = ("torch", "numpy", "matplotlib", "ipywidgets", "tqdm")


def environment_report(requirements: str | os.PathLike | None = None) -> dict:
    """Versions of Python and the course's core packages, the device, and any package whose installed
    version differs from its pin in ``requirements`` (a requirements.txt path; default: the repository's).

    Returns a dict with keys ``python``, ``packages`` (name -> version), ``device`` and ``mismatches``
    (a list of "name: pinned X, installed Y" strings; empty when the environment matches the pins).

    Introduced in 00_start_here.ipynb.
    """
    import platform
    from importlib.metadata import PackageNotFoundError, version
    from pathlib import Path

    import torch

    path = Path(requirements) if requirements is not None else Path(__file__).resolve().parents[1] / "requirements.txt"
    if not path.is_file():
        raise ValueError(f"requirements must be an existing requirements.txt file, got {str(path)!r}")
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, pinned = line.split("==", 1)
            pins[name.strip().lower()] = pinned.strip()
    packages, mismatches = {}, []
    for name in sorted(set(CORE_PACKAGES) | set(pins)):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        packages[name] = installed
        # a local build tag (+cpu, +cu126) is the same release
        if name in pins and installed.split("+")[0] != pins[name]:
            mismatches.append(f"{name}: pinned {pins[name]}, installed {installed}")
    return {
        "python": platform.python_version(),
        "packages": packages,
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "mismatches": mismatches,
    }
