"""The robustness table's entries for ``course_lib.tools`` (conventions: ``api_table.py``).

Merged into :data:`api_table.ENTRIES` and :data:`api_table.EXCLUDED`.

The tools work on files and folders, so every path here is in one temporary folder
(:data:`ROOT`, removed when the test process ends) holding a small course checkout of its
own; nothing reads or writes the repository's files, and nothing touches the network.

Command lines: a ``main(argv)`` takes a list of str (``Argv``). A bad *value* (a str, which
argparse would read one character at a time, a number, a list of numbers) is a TypeError
naming ``argv``, like any other argument. A bad *command line* (an unknown option, a missing
argument) is refused by argparse as every command-line tool does: the usage and the
offending option on stderr, exit status 2 (SystemExit). This suite does not accept
SystemExit in place of ValueError/TypeError; tests/unit/test_tools_cli.py checks those exits
instead, each naming the option at fault.

A function that starts a kernel, Voilà or a process pool is ``slow=True``: its bad inputs are
still tried (each is refused before anything starts), only its valid call is left to its
own tests (test_export.py, test_present.py and the browser tests).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from api_kinds import (
    Argv,
    Diff,
    Flag,
    Func,
    Int,
    Lazy,
    Notebook,
    OptNotebook,
    OptPathArg,
    OptText,
    PathArg,
    PathList,
    Text,
    TextList,
    Typed,
    call,
)

from course_lib.tools import catalog

#: Every file the entries read or write is under this folder.
ROOT = Path(tempfile.mkdtemp(prefix="robust-tools-"))
atexit.register(shutil.rmtree, ROOT, ignore_errors=True)


def _notebook(*code: str, solution: str = "y = 2"):
    """A small notebook: a title, code cells ``code`` and one solution cell."""
    import nbformat

    v4 = nbformat.v4
    cells = [v4.new_markdown_cell("# A notebook"), *map(v4.new_code_cell, code)]
    cells.append(v4.new_code_cell(solution, metadata={"tags": ["solution"]}))
    for i, c in enumerate(cells):
        c["id"] = f"cell-{i}"
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return v4.new_notebook(cells=cells, metadata={"kernelspec": kernel})


NB = Lazy(lambda: _notebook("x = 1", "z = 3"))
NB_MINE = Lazy(lambda: _notebook("x = 1  # the student's", "z = 3"))
NB_COURSE = Lazy(lambda: _notebook("x = 1", "z = 4"))
NB_JSON = Lazy(lambda: __import__("json").loads(__import__("nbformat").writes(NB())))
SOLUTION_CELL = Lazy(lambda: dict(NB().cells[-1]))


def _diff(a, b):
    from nbdime.diffing.notebooks import diff_notebooks

    return diff_notebooks(a, b)


LOCAL_DIFF = Lazy(lambda: _diff(NB(), NB_MINE()))
REMOTE_DIFF = Lazy(lambda: _diff(NB(), NB_COURSE()))


def _write(path: Path, nb) -> Path:
    import nbformat

    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _course() -> Path:
    """A checkout of a course of two notebooks (``notebooks/00_orientation.ipynb`` ...)."""
    folder = ROOT / "course"
    _write(folder / "notebooks" / "00_orientation.ipynb", NB())
    _write(folder / "notebooks" / "01_gradient_descent.ipynb", NB_COURSE())
    (folder / "README.md").write_text("A course.\n")
    return folder


COURSE = Lazy(_course)
NOTEBOOKS = Lazy(lambda: COURSE() / "notebooks")
FIRST = Lazy(lambda: NOTEBOOKS() / "00_orientation.ipynb")
COLAB_NB = Lazy(lambda: _write(ROOT / "colab" / "nb.ipynb", NB()))
SYNC_ARGV = Lazy(
    lambda: ["sync", "--source", str(NOTEBOOKS()), "--target", str(ROOT / "main-sync")]
)


ENTRIES: dict[str, dict] = {
    # show
    "tools.show.source": call(obj=Func(catalog.colab_url), docstring=Flag(False)),
    # show_source(*objs): the objects are positional only; each goes through source's check
    "tools.show.show_source": call(docstring=Flag(False)),
    # catalog
    "tools.catalog.colab_url": call(file=Text("01_gradient_descent.ipynb")),
    "tools.catalog.binder_url": call(),
    "tools.catalog.Entry": call(
        number=Text("01"),
        file=Text("01_gradient_descent.ipynb"),
        title=Text("Gradient descent"),
        notes_section=Text("Optimization Algorithms"),
        ready=Flag(True),
    ),
    "tools.catalog.markdown_map": call(folder=OptPathArg(NOTEBOOKS)),
    # checkout
    "tools.checkout.is_checkout": call(folder=PathArg(COURSE)),
    "tools.checkout.find": call(course=OptPathArg(COURSE), start=OptPathArg(NOTEBOOKS)),
    # colab
    "tools.colab.cell_source": call(repository=Text("https://github.com/someone/course")),
    "tools.colab.cell": call(repository=Text("https://github.com/someone/course")),
    "tools.colab.with_setup_cell": call(
        nb=Notebook(NB_JSON), repository=Text("https://github.com/someone/course")
    ),
    "tools.colab.write": call(
        path=PathArg(COLAB_NB), repository=Text("https://github.com/someone/course")
    ),
    "tools.colab.main": call(argv=Argv(Lazy(lambda: [str(COLAB_NB())]))),
    # envcheck: no arguments (an unknown keyword is still refused)
    "tools.envcheck.versions": call(),
    "tools.envcheck.lab_extensions": call(),
    "tools.envcheck.problems": call(),
    "tools.envcheck.report": call(),
    "tools.envcheck.widget_probe": call(),
    # export
    "tools.export.static_outputs": call(nb=Notebook(NB)),
    "tools.export.kernel_transport": call(sockets=PathArg(ROOT)),
    "tools.export.execute": call(
        nb=Notebook(NB), cwd=PathArg(ROOT), timeout=Int(60, lo=1), mutates=("nb",), slow=True
    ),  # fmt: skip
    "tools.export.to_html": call(nb=Notebook(NB), mathjax_url=OptText("mathjax/MathJax.js")),
    "tools.export.local_mathjax": call(out=PathArg(ROOT / "html")),
    "tools.export.export_notebook": call(
        path=PathArg(FIRST),
        out=PathArg(ROOT / "html"),
        mathjax_url=OptText(None),
        solutions=Flag(False),
        slow=True,
    ),
    "tools.export.index_html": call(pages=PathList([Path("00_orientation.html")])),
    "tools.export.export_all": call(
        out=PathArg(ROOT / "html"),
        notebooks=PathList(Lazy(lambda: [FIRST()])),
        workers=Int(1, lo=1),
        solutions=Flag(False),
        slow=True,
    ),
    # merge
    "tools.merge.Merged": call(notebook=OptNotebook(NB), conflicts=TextList(["cell 2 (`x`)"])),
    "tools.merge.sources": call(nb=Notebook(NB)),
    "tools.merge.similarity": call(a=Notebook(NB), b=Notebook(NB_COURSE)),
    "tools.merge.conflicts": call(
        base=Notebook(NB), local_diff=Diff(LOCAL_DIFF), remote_diff=Diff(REMOTE_DIFF)
    ),
    "tools.merge.merge": call(
        base=Notebook(NB), mine=Notebook(NB_MINE), course=Notebook(NB_COURSE)
    ),
    # present
    "tools.present.find_notebook": call(spec=Text("00"), folder=PathArg(NOTEBOOKS)),
    "tools.present.voila_command": call(
        notebook=PathArg(ROOT / "x.ipynb"),
        port=Int(9999, lo=1, hi=65535),
        token=OptText("secret"),
        open_browser=Flag(False),
    ),
    "tools.present.present": call(
        spec=Text("00"),
        port=Int(8866, lo=1, hi=65535),
        folder=PathArg(NOTEBOOKS),
        open_browser=Flag(False),
        slow=True,
    ),
    # release
    "tools.release.is_solution": call(cell=Typed(SOLUTION_CELL)),
    "tools.release.without_solutions": call(nb=Notebook(NB)),
    "tools.release.student_notebook": call(
        source=PathArg(FIRST), target=PathArg(ROOT / "student" / "00_orientation.ipynb")
    ),
    "tools.release.release_files": call(course=PathArg(COURSE)),
    "tools.release.write_release": call(course=PathArg(COURSE), out=PathArg(ROOT / "release")),
    # workspace
    "tools.workspace.read_manifest": call(target=PathArg(ROOT / "synced")),
    "tools.workspace.sync": call(source=PathArg(NOTEBOOKS), target=PathArg(ROOT / "synced")),
    "tools.workspace.main": call(argv=Argv(SYNC_ARGV)),
}

#: Functions of the package not called with generated arguments, and why.
EXCLUDED: dict[str, str] = {}
