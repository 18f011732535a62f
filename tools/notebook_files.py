"""Reading and writing the course's notebooks, with a backup first: the one implementation that
tools/slides.py and tools/navigation.py share. Standard library only (``make slides-metadata`` runs without the
course's virtual environment).

    nb = read_notebook(path)
    backup(path, root, "slides")        # a copy in .backups/slides/<name>.<timestamp>.ipynb
    write_notebook(path, nb)            # nbformat's layout: indent 1, sorted keys, UTF-8 as is
"""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path


def read_notebook(path: Path) -> dict:
    """The notebook at ``path`` as a dict (nbformat's JSON)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_notebook(path: Path, nb: dict) -> None:
    """Write ``nb`` in the layout nbformat and nbstripout write (indent 1, sorted keys, UTF-8 as is, final
    newline), so that a rewrite changes only what changed."""
    Path(path).write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def backup(path: Path, root: Path, kind: str) -> Path:
    """Copy the notebook at ``path`` to ``root/.backups/<kind>/<name>.<timestamp>.ipynb`` before a tool rewrites
    it (nothing rewrites a learner's notebook without a backup); return the copy's path."""
    folder = Path(root) / ".backups" / kind
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{Path(path).stem}.{stamp}.ipynb"
    shutil.copy2(path, target)
    return target
