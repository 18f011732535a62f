"""Give a student their own copy of the course, then start their Jupyter server.

JupyterHub runs this in place of ``jupyterhub-singleuser`` (``c.Spawner.cmd`` in jupyterhub_config.py; the
Kubernetes image runs it the same way, deploy/kubernetes/values.yaml):

    python course_copy.py --source /opt/rnn-course [--dest ~/rnn-course] -- jupyterhub-singleuser [args...]

It copies the course's notebooks (and requirements.txt, which 00_start_here.ipynb reads) from the teacher's
checkout into the student's home, then replaces itself with the command after ``--``. A file the student
already has is NEVER overwritten, changed or deleted: on the first start the student gets the whole course;
after the teacher updates the checkout (``git pull``), the next start adds only the files that are new (a
new chapter), and a student's edited notebook stays as the student left it. To get the teacher's version of a
chapter back, a student renames or deletes their copy and restarts their server (Hub Control Panel, "Stop My
Server", then "Start My Server").

Only the standard library is used, so it runs before anything else is imported. It runs as the student.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

# what a student gets: paths relative to the course checkout; directories are copied file by file
COURSE_FILES = ("notebooks", "requirements.txt")
# never copied: build artefacts, checkpoints, caches
SKIP_NAMES = {".ipynb_checkpoints", "__pycache__", ".pytest_cache"}


def copy_course(source: str | os.PathLike, dest: str | os.PathLike) -> list[Path]:
    """Copy every course file that ``dest`` does not have yet; return the paths that were added.

    ``source`` is the course checkout (it must contain ``notebooks/``); ``dest`` is the student's course folder,
    created if missing. Existing files in ``dest`` are left untouched, whatever their content.
    """
    source, dest = Path(source), Path(dest)
    if not (source / "notebooks").is_dir():
        raise ValueError(f"source must be the course checkout (with a notebooks/ folder), got {str(source)!r}")
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"dest must be a folder (or not exist yet), got the file {str(dest)!r}")
    added = []
    for name in COURSE_FILES:
        top = source / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(source)
            if SKIP_NAMES.intersection(rel.parts):
                continue
            target = dest / rel
            # lexists: a dangling symlink the student made also counts as "theirs"
            if os.path.lexists(target):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # copy to a temporary name first, so an interrupted copy never leaves half a notebook behind
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(path, partial)
            os.replace(partial, target)
            added.append(target)
    return added


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--" in argv:
        split = argv.index("--")
        ours, command = argv[:split], argv[split + 1 :]
    else:
        ours, command = argv, []
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="the course checkout (holds notebooks/)")
    parser.add_argument("--dest", default="~/rnn-course", help="the student's course folder (default ~/rnn-course)")
    args = parser.parse_args(ours)
    added = copy_course(args.source, os.path.expanduser(args.dest))
    print(f"course_copy: {len(added)} new course file(s) copied to {args.dest}", file=sys.stderr, flush=True)
    if command:
        os.execvp(command[0], command)


if __name__ == "__main__":
    main()
