"""Show course_lib's own code inside a notebook, so the equation and its implementation sit
side by side (the notebooks never hide the code that computes a result)."""

from __future__ import annotations

import ast
import inspect
import textwrap


def source(obj, docstring: bool = True) -> str:
    """The source code of a function or class, dedented, optionally without its docstring."""
    code = textwrap.dedent(inspect.getsource(obj))
    if docstring:
        return code
    node = ast.parse(code).body[0]
    first = node.body[0] if getattr(node, "body", None) else None
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
        lines = code.splitlines()
        del lines[first.lineno - 1 : first.end_lineno]
        code = "\n".join(lines) + "\n"
    return code


def show_source(*objs, docstring: bool = True):
    """Display the source of each object as a highlighted Python block."""
    from IPython.display import Markdown

    blocks = [f"```python\n{source(obj, docstring).rstrip()}\n```" for obj in objs]
    return Markdown("\n\n".join(blocks))
