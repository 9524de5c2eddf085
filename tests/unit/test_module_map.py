"""course_lib's docstring is a map of the package: every module and subpackage is on it, so a
module added without a place in the course fails here."""

from __future__ import annotations

import pkgutil
import re

import course_lib
import course_lib.tools


def named_in_map(name: str) -> bool:
    return re.search(rf"``{re.escape(name)}``", course_lib.__doc__) is not None


def test_every_module_is_on_the_map():
    modules = [m.name for m in pkgutil.iter_modules(course_lib.__path__)]
    tools = [m.name for m in pkgutil.iter_modules(course_lib.tools.__path__)]
    assert len(modules) > 20 and len(tools) > 5  # the walk found the package
    missing = [name for name in modules + tools if not named_in_map(name)]
    assert not missing, f"modules missing from course_lib's docstring map: {missing}"


def test_the_map_names_no_module_that_does_not_exist():
    modules = {m.name for m in pkgutil.iter_modules(course_lib.__path__)}
    modules |= {m.name for m in pkgutil.iter_modules(course_lib.tools.__path__)}
    named = set(re.findall(r"``(\w+)``", course_lib.__doc__))
    assert named - modules == set()
