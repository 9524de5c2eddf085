"""Show course_lib's own code inside a notebook, so the equation and its implementation sit
side by side (the notebooks never hide the code that computes a result)."""

from __future__ import annotations

import ast
import inspect
import textwrap

from .. import _validate as check


def _code_object(name: str, obj: object) -> object:
    """``obj`` if inspect can show its source (a function, method, class or module)."""
    if not (inspect.isroutine(obj) or inspect.isclass(obj) or inspect.ismodule(obj)):
        raise TypeError(
            f"{name} must be a function, method or class of course_lib (e.g. optim.run), "
            f"got {type(obj).__name__} {check._show(obj)}"
        )
    return obj


def source(obj, docstring: bool = True) -> str:
    """The source code of a function or class, dedented, optionally without its docstring."""
    obj, docstring = _code_object("obj", obj), check.flag("docstring", docstring)
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

    docstring = check.flag("docstring", docstring)
    objs = [_code_object(f"objs[{i}]", obj) for i, obj in enumerate(objs)]
    blocks = [f"```python\n{source(obj, docstring).rstrip()}\n```" for obj in objs]
    return Markdown("\n\n".join(blocks))
