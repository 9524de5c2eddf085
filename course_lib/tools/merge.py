"""Three-way merge of a student's copy of a notebook with the course's new version.

``workspace.sync`` calls :func:`merge` when a student changed the sources of their copy and
the course changed the notebook too. The version the copy was made from is the base; nbdime
(the Jupyter project's notebook diff and merge library) finds what each side changed:

- a cell only one side changed (or added, or deleted) takes that side's version;
- cells both sides added at the same place are all kept, the student's first;
- a cell's metadata takes both sides' changes (the course's where both changed one key),
  the notebook's own metadata (kernel, saved widget state) is the student's;
- a cell whose source both sides changed (differently), or that one side changed and the
  other deleted, is a conflict: then nothing is merged, and :func:`merge` says which cells
  (:func:`conflicts` decides this from nbdime's two diffs).

nbdime does the hard part, matching cells between versions and telling an edited cell from
one replaced; the merge itself is the few rules above, applied cell by cell.

Outputs and execution counts are the student's: they are set aside before the merge (so
running a cell never conflicts with anything) and put back on every merged cell whose source
is the one they came from.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .. import _validate as check
from . import _checks


@dataclass
class Merged:
    """What :func:`merge` found: the merged notebook, or None and the conflicting cells."""

    notebook: object | None
    conflicts: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.notebook is not None:
            _checks.notebook_json("notebook", self.notebook)
        check.texts("conflicts", self.conflicts)


def sources(nb) -> list[tuple[str, str]]:
    """The cells' kinds and sources, which say whether a student edited a copy (outputs,
    execution counts and metadata change when a notebook merely runs)."""
    nb = _checks.notebook_json("nb", nb)
    return [(c["cell_type"], _text(c.get("source", ""))) for c in nb["cells"]]


def _text(source) -> str:
    return source if isinstance(source, str) else "".join(source)


def similarity(a, b) -> float:
    """Share of cells whose kind and source the two notebooks have in common (0 to 1)."""
    a, b = _checks.notebook_json("a", a), _checks.notebook_json("b", b)
    left, right = sources(a), sources(b)
    if not left or not right:
        return 0.0
    pool, common = list(right), 0
    for cell in left:
        if cell in pool:
            pool.remove(cell)
            common += 1
    return common / max(len(left), len(right))


def _without_outputs(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def _cell_changes(diff) -> dict[int, object]:
    """``{base cell index: change}`` for the cells whose source or kind a notebook diff
    changes ("removed", or the source's patch); metadata-only patches are left out, so that
    collapsing a cell never conflicts with the course changing its text."""
    changes: dict[int, object] = {}
    for op in diff:
        if op["key"] != "cells":
            continue
        for cell_op in op.get("diff", []):
            if cell_op["op"] == "removerange":
                for i in range(cell_op["key"], cell_op["key"] + cell_op["length"]):
                    changes[i] = "removed"
            elif cell_op["op"] == "patch":
                text = [d for d in cell_op["diff"] if d["key"] in ("source", "cell_type")]
                if text:
                    changes[cell_op["key"]] = text
    return changes


def conflicts(base, local_diff, remote_diff) -> list[int]:
    """Base cells that both diffs change, each in its own way (sorted indexes): ``local_diff``
    and ``remote_diff`` are nbdime's diffs of notebook ``base`` to the two sides."""
    _checks.notebook_json("base", base)
    local_diff = _checks.diff("local_diff", local_diff)
    remote_diff = _checks.diff("remote_diff", remote_diff)
    mine, theirs = _cell_changes(local_diff), _cell_changes(remote_diff)
    return sorted(i for i in mine.keys() & theirs.keys() if mine[i] != theirs[i])


def _describe(base, index: int) -> str:
    """'cell 12 (`def grad_b(w, b, X, Y):`)' for base cell ``index``."""
    first = next((ln for ln in _text(base.cells[index].source).splitlines() if ln.strip()), "")
    first = first.strip()[:60]
    return f"cell {index + 1} (`{first}`)" if first else f"cell {index + 1}"


def _split(diff) -> tuple[dict[int, list], set[int], dict[int, list]]:
    """A notebook diff's cell operations: (inserted cells before each base index, removed
    base indexes, patches of base cells by index)."""
    inserts: dict[int, list] = {}
    removed: set[int] = set()
    patches: dict[int, list] = {}
    for op in diff:
        if op["key"] != "cells":
            continue
        for cell_op in op.get("diff", []):
            key = cell_op["key"]
            if cell_op["op"] == "addrange":
                inserts.setdefault(key, []).extend(cell_op["valuelist"])
            elif cell_op["op"] == "removerange":
                removed.update(range(key, key + cell_op["length"]))
            elif cell_op["op"] == "patch":
                patches[key] = cell_op["diff"]
    return inserts, removed, patches


def _merged_metadata(base: dict, local: dict, remote: dict) -> dict:
    """The base's metadata with the student's changes, then the course's (which win)."""
    out = copy.deepcopy(dict(base))
    for side in (local, remote):
        for key in set(base) - set(side):
            out.pop(key, None)
        out.update({k: copy.deepcopy(v) for k, v in side.items() if base.get(k) != v})
    return out


def _merged_cell(cell, local_patch, remote_patch):
    """Base ``cell`` with each side's patch: the text from the side that changed it (at
    most one did, see :func:`conflicts`), metadata from both."""
    from nbdime.patching import patch

    local = patch(cell, local_patch) if local_patch else cell
    remote = patch(cell, remote_patch) if remote_patch else cell
    text_changed = any(d["key"] in ("source", "cell_type") for d in remote_patch or [])
    out = copy.deepcopy(remote if text_changed else local)
    out["metadata"] = _merged_metadata(
        cell.get("metadata", {}), local.get("metadata", {}), remote.get("metadata", {})
    )
    return out


def merge(base, mine, course) -> Merged:
    """Merge the course's changes from ``base`` to ``course`` into the student's ``mine``
    (all nbformat v4 notebooks); none of them is changed."""
    import nbformat
    from nbdime.diffing.notebooks import diff_notebooks

    base, mine = _checks.notebook("base", base), _checks.notebook("mine", mine)
    course = _checks.notebook("course", course)

    local = _without_outputs(mine)
    local_diff, remote_diff = diff_notebooks(base, local), diff_notebooks(base, course)
    clash = conflicts(base, local_diff, remote_diff)
    if clash:
        return Merged(None, [_describe(base, i) for i in clash])
    (l_ins, l_rm, l_patch), (r_ins, r_rm, r_patch) = _split(local_diff), _split(remote_diff)
    cells = []
    for i in range(len(base.cells) + 1):
        # Cells both sides added here: the student's first, then the course's.
        cells += l_ins.get(i, []) + r_ins.get(i, [])
        if i < len(base.cells) and not (i in l_rm or i in r_rm):
            cells.append(_merged_cell(base.cells[i], l_patch.get(i), r_patch.get(i)))
    merged = copy.deepcopy(course)
    merged.metadata = copy.deepcopy(mine.metadata)  # kernel, saved widget state: the student's
    merged.cells = [nbformat.from_dict(c) for c in cells]
    _fresh_ids(merged)
    _restore_outputs(merged, mine)
    return Merged(merged)


def _fresh_ids(nb) -> None:
    """Cell ids unique again (a cell the student copied and the course's may share one)."""
    import uuid

    seen = set()
    for cell in nb.cells:
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = uuid.uuid4().hex[:8]
        seen.add(cell["id"])


def _restore_outputs(merged, mine) -> None:
    """Give each merged code cell the outputs the student's cell of the same source had."""
    runs: dict[str, list] = {}
    for cell in mine.cells:
        if cell.cell_type == "code":
            runs.setdefault(_text(cell.source), []).append(cell)
    for cell in merged.cells:
        if cell.get("cell_type") == "code" and runs.get(_text(cell.source)):
            ran = runs[_text(cell.source)].pop(0)
            cell["outputs"] = copy.deepcopy(ran.get("outputs", []))
            cell["execution_count"] = ran.get("execution_count")
