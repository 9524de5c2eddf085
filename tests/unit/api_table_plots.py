"""The robustness table's entries for ``course_lib.plots`` (conventions: ``api_table.py``).

Merged into :data:`api_table.ENTRIES` and :data:`api_table.EXCLUDED`.
"""

from __future__ import annotations

ENTRIES: dict[str, dict] = {}

#: Functions of the package not called with generated arguments, and why.
EXCLUDED: dict[str, str] = {}
