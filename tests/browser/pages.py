"""What the browser tests do on a page: run a notebook in JupyterLab, look for what a student
would see as broken, move explorer sliders and check that the figure and readout follow.

The checks read the rendered page (what a student sees) through ``window.courseProbe``
(probe.js, injected into every page) and, in JupyterLab, the notebook model through
``window.jupyterapp`` (exposed by the test server) to know which output carries which MIME
types.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

PROBE = Path(__file__).with_name("probe.js")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Text that means a widget or a figure did not render: ipywidgets' own errors, and the
# course's fallbacks (an explorer's static snapshot note, notebook 00's widget probe).
FALLBACK_TEXT = [
    re.compile(r"Error displaying widget", re.I),
    re.compile(r"Error rendering (widget|output)", re.I),
    re.compile(r"Failed to (load|create) (widget|model|view)", re.I),
    re.compile(r"widgets? (are|is) not (rendering|working|displayed|shown)", re.I),
    re.compile(r"a static snapshot\. The controls need", re.I),
]
# Only in outputs rendered as plain text: a widget or a figure shown as its repr.
REPR_TEXT = [
    re.compile(
        r"\b[A-Z]\w*\((value|children|layout|description|options|toolbar|figure|outputs|"
        r"msg_id|min|max)="
    ),
    re.compile(r"\b(VBox|HBox|Box|GridBox|Tab|Accordion|Output|Canvas|Figure)\(\)"),
    re.compile(r"<Figure size \d+(\.\d+)?x\d+(\.\d+)? with \d+ Axes>"),
    re.compile(r"^Loading widget\.\.\.$", re.M),
]
# Console messages that mean a widget failed in the front end.
CONSOLE_FAILURES = re.compile(
    r"Failed to (load|create) (model|view)|Could not (create|find) (a )?(model|view)|"
    r"Class \S+ not found in (module|registry)|Error displaying widget|"
    r"Model not found|No version of module|Error setting state",
    re.I,
)
EXPLORER_ERROR = "Could not update the figure"

_NUMBER = re.compile(r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+−]?\d+)?")
_PANEL = "window.jupyterapp.shell.currentWidget"


def numbers(text: str) -> list[float]:
    """Every number written in ``text`` (a Unicode minus counts as a minus sign)."""
    return [float(m.replace("−", "-")) for m in _NUMBER.findall(text)]


#: What probe.js's figureHash gives for a canvas: "WxH:hash:share of drawn pixels".
CANVAS_STATE = re.compile(r"^\d+x\d+:-?\d+:[\d.]+$")


def milliseconds(seconds: float) -> int | None:
    """Seconds as whole milliseconds for a report; None when there was no response (NaN)."""
    return None if seconds != seconds else round(1000 * seconds)


def decimals(shown: str) -> int:
    """Digits after the point in a number as a slider shows it ("0.050" -> 3, "1e-3" -> 3)."""
    shown = shown.strip().replace("−", "-")
    if "e" in shown.lower():
        mantissa, exp = re.split("[eE]", shown)
        return max(0, decimals(mantissa) - int(exp))
    return len(shown.split(".")[1]) if "." in shown else 0


def readout_states(readout: str, shown: str) -> bool:
    """Does the explorer's readout state the value a slider shows?

    The readout may round differently from the slider ("0.90" vs "0.9", "1.12" vs "1.1"),
    so a number within one unit of the slider's last digit (or 2 %) counts.
    """
    try:
        value = float(shown.strip().replace("−", "-"))
    except ValueError:
        return shown.strip() in readout
    tol = max(10.0 ** -decimals(shown), 0.02 * abs(value), 1e-12)
    return any(abs(x - value) <= tol for x in numbers(readout))


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class Clock:
    """Seconds spent in each phase of a test, for the summary."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 1)
        self._last = now


# --------------------------------------------------------------------------------------
# What is on the page
# --------------------------------------------------------------------------------------


def output_problems(where: str, out: dict) -> list[Problem]:
    """What is wrong with one output (a dict from probe.js's describeOutput/pageOutputs)."""
    found = []
    if out.get("type") == "error":
        found.append(Problem(where, f"raised {out['ename']}: {out['evalue']}"))
    elif out.get("type") == "stream" and out.get("name") == "stderr":
        found.append(Problem(where, f"wrote to stderr: {out['text'][:300]!r}"))
    if WIDGET_VIEW in out.get("mimes", []) and not out.get("hasWidgetView"):
        found.append(Problem(where, "a widget output has no rendered widget view"))
    text, mime = out.get("domText") or "", out.get("renderedMime")
    patterns = FALLBACK_TEXT + (REPR_TEXT if mime == "text/plain" else [])
    for pat in patterns:
        if pat.search(text):
            found.append(Problem(where, f"shows {text.strip()[:200]!r} (matches /{pat.pattern}/)"))
    return found


def blank_figures(page) -> list[Problem]:
    return [
        Problem(f"figure {i + 1}", "the figure (ipympl canvas) never drew")
        for i in page.evaluate("() => window.courseProbe.blankFigures()")
    ]


def wait_figures(page, timeout: float = 30) -> list[Problem]:
    """Wait until every ipympl figure has drawn; return the ones that did not in time."""
    deadline = time.monotonic() + timeout
    while True:
        blank = blank_figures(page)
        if not blank or time.monotonic() > deadline:
            return blank
        time.sleep(0.25)


def wait_settled(page, selector: str, quiet: float = 2.0, timeout: float = 90) -> None:
    """Wait until the number of elements matching ``selector`` stops changing for ``quiet``
    seconds (Voila adds outputs, then renders their widgets, as the kernel runs)."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        count = page.locator(selector).count()
        if count != last:
            last, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)


def clipped_figures(page) -> list[Problem]:
    """ipympl figures wider than the column they sit in: their right part is cut off
    (JupyterLab scales images down to fit, but not ipympl canvases)."""
    return [
        Problem(f"figure {i + 1}", f"{w} px wide in a {col} px column: its right {over} px are cut")
        for i, over, w, col in page.evaluate("() => window.courseProbe.clippedFigures()")
    ]


def console_problems(messages: list[str]) -> list[Problem]:
    return [Problem("browser console", m[:300]) for m in messages if CONSOLE_FAILURES.search(m)]


# --------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------


def open_lab(page, server, timeout: float = 90) -> None:
    """Load JupyterLab once; notebooks are then opened in it one after another."""
    page.goto(f"{server.url}/lab?reset&token={server.token}")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell", timeout=timeout * 1e3
    )
    page.evaluate("async () => { await window.jupyterapp.restored; }")


def open_notebook(page, path: str, timeout: float = 90) -> None:
    """Open ``path`` (relative to the server's root) as from the file browser, and wait
    until its kernel is idle."""
    page.evaluate(
        """async (path) => {
             const commands = window.jupyterapp.commands;
             await commands.execute('application:close-all');
             await commands.execute('docmanager:open', {path, factory: 'Notebook'}); }""",
        path,
    )
    page.wait_for_function(
        f"""(path) => {{ const p = {_PANEL};
              return p && p.context && p.context.path === path && p.sessionContext
                && p.sessionContext.session && p.sessionContext.session.kernel
                && p.sessionContext.session.kernel.status === 'idle'; }}""",
        arg=path,
        timeout=timeout * 1e3,
    )
    page.evaluate(f"async () => {{ await {_PANEL}.context.ready; }}")


def set_file_browser(page, visible: bool) -> None:
    """Show or hide the left sidebar (the file browser), as a student may."""
    page.evaluate(
        "(on) => { const s = window.jupyterapp.shell; on ? s.expandLeft() : s.collapseLeft(); }",
        visible,
    )
    time.sleep(0.3)


def run_all(page, timeout: float = 180) -> float:
    """Run every cell (Run > Run All Cells), wait until the kernel is idle; seconds taken."""
    start = time.monotonic()
    page.evaluate(
        """() => { window.__courseRunAll = {done: false};
          window.jupyterapp.commands.execute('notebook:run-all-cells').then(
            ok => { window.__courseRunAll = {done: true, ok}; },
            err => { window.__courseRunAll = {done: true, error: String(err)}; }); }"""
    )
    page.wait_for_function("() => window.__courseRunAll.done", timeout=timeout * 1e3)
    wait_idle(page, timeout)
    return time.monotonic() - start


def wait_idle(page, timeout: float = 60) -> None:
    page.wait_for_function(
        f"() => {_PANEL}.sessionContext.session.kernel.status === 'idle'", timeout=timeout * 1e3
    )


def lab_problems(page) -> list[Problem]:
    """Everything in the run notebook that a student would see as broken."""
    problems = []
    for cell in page.evaluate("() => window.courseProbe.labOutputs()"):
        where = (
            f"cell {cell['index'] + 1} [{cell['source'].splitlines()[0] if cell['source'] else ''}]"
        )
        for out in cell["outputs"]:
            problems += output_problems(where, out)
    return problems


def save_and_close(page) -> None:
    """Save the notebook (with its widget state), shut its kernel down, close it."""
    page.evaluate(
        f"""async () => {{ const p = {_PANEL};
             if (!p || !p.sessionContext) return;
             await window.jupyterapp.commands.execute('docmanager:save');
             await p.sessionContext.shutdown(); p.dispose(); }}"""
    )


def screenshot_pages(page, scroller: str, out: Path, stem: str, max_pages: int = 40) -> list[Path]:
    """Screenshots of a scrolling element, one viewport at a time, top to bottom."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{stem}-page-*.png"):
        old.unlink()
    page.evaluate(
        "(s) => (document.querySelector(s) || document.scrollingElement).scrollTo(0, 0)", scroller
    )
    paths = []
    for k in range(1, max_pages + 1):
        time.sleep(0.1)  # let the scrolled content paint
        path = out / f"{stem}-page-{k:02d}.png"
        page.screenshot(path=str(path))
        paths.append(path)
        moved = page.evaluate(
            """(sel) => { const s = document.querySelector(sel) || document.scrollingElement;
                 const before = s.scrollTop; s.scrollBy(0, s.clientHeight - 60);
                 return s.scrollTop !== before; }""",
            scroller,
        )
        if not moved:
            break
    return paths


# --------------------------------------------------------------------------------------
# Explorers
# --------------------------------------------------------------------------------------


def explorers(page):
    return page.locator(".course-explorer")


def shown(explorer, slider: int | None = None) -> tuple:
    """(slider ``slider``'s value, readout text, figure hash) of an explorer, in one call."""
    return tuple(explorer.evaluate("(el, i) => window.courseProbe.explorerState(el, i)", slider))


def _wait_change(
    explorer, which: int, before: tuple, timeout: float, strict: bool, settle=None
) -> tuple[tuple, float]:
    """Poll until the slider shows a new value and the explorer responded (``strict``: the
    readout states the value and the figure changed; else: figure or readout changed),
    then until nothing changes any more (a drag queues several updates in the kernel).
    Returns what is shown then and the seconds until the first response (NaN if none)."""
    start = time.monotonic()
    deadline = start + timeout
    latency = float("nan")
    while True:
        now = shown(explorer, which)
        moved = now[0] != before[0]
        if strict:
            done = moved and now[2] != before[2] and now[1] != before[1]
            done = done and readout_states(now[1], now[0])
        else:
            done = moved and (now[1] != before[1] or now[2] != before[2])
        if done:
            latency = time.monotonic() - start
            break
        if time.monotonic() > deadline:
            return now, latency
        time.sleep(0.05)
    return _settled(explorer, which, now, deadline, settle), latency


def _settled(explorer, which: int, now: tuple, deadline: float, settle=None) -> tuple:
    """After ``settle()`` (e.g. the kernel is idle: every queued update has been drawn),
    poll until nothing shown changes any more, or ``deadline``; returns what is shown."""
    if settle is not None:
        settle()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        later = shown(explorer, which)
        if later == now:
            break
        now = later
    return now


@dataclass
class Move:
    """One slider move and what followed it.

    ``strict``: the figure must change and the readout must state the new value (the
    issue's check, made on each explorer's first slider unless that acts through a button:
    class course-deferred). Otherwise the move must show in the figure or the readout, and a
    readout that does not state the value is a problem with ``states`` (a mouse drag of a
    slider that acts at once), a warning without.
    """

    explorer: int
    how: str
    slider: str
    before: tuple
    after: tuple
    seconds: float
    strict: bool = True
    states: bool = False
    kind: str = "slider"  # or "text box", "dropdown": the control moved

    @property
    def where(self) -> str:
        return f"explorer {self.explorer + 1}, {self.kind} {self.slider!r} ({self.how})"

    def problems(self) -> list[Problem]:
        (v0, r0, c0), (v1, r1, c1) = self.before, self.after
        if v1 == v0:
            return [Problem(self.where, f"the {self.kind} did not change (still {v0})")]
        out = []
        if EXPLORER_ERROR in r1:
            out.append(Problem(self.where, f"the explorer reported an error: {r1!r}"))
        if c0 is None:
            out.append(Problem(self.where, "no figure (canvas or image) found in the explorer"))
        elif c1 != c0 and CANVAS_STATE.match(c0) and CANVAS_STATE.match(c1):
            drawn0, drawn1 = (float(c.rsplit(":", 1)[-1]) for c in (c0, c1))
            if drawn1 < 0.5:
                out.append(
                    Problem(self.where, f"after the move most of the figure is blank ({c1})")
                )
        if self.strict:
            if c1 == c0:
                out.append(Problem(self.where, f"the figure did not change ({v0} -> {v1})"))
            if r1 == r0:
                out.append(Problem(self.where, f"the readout did not change: {r1!r}"))
            elif not readout_states(r1, v1):
                out.append(Problem(self.where, f"the readout {r1!r} does not state {v1}"))
        elif c1 == c0 and r1 == r0:
            out.append(Problem(self.where, f"neither figure nor readout changed ({v0} -> {v1})"))
        if self.states and not self.strict and not readout_states(r1, v1):
            out.append(
                Problem(self.where, f"the readout does not state the new value {v1}: {r1!r}")
            )
        return out

    def warnings(self) -> list[Problem]:
        (v0, _, c0), (v1, r1, c1) = self.before, self.after
        out = []
        if c0 and c1 and CANVAS_STATE.match(c0) and CANVAS_STATE.match(c1):
            drawn0, drawn1 = (float(c.rsplit(":", 1)[-1]) for c in (c0, c1))
            if 0.5 <= drawn1 < drawn0 - 0.02:
                # A panel without its background in the first frame after the move: seen
                # rarely, and gone with the next frame; a warning until it is understood.
                out.append(Problem(self.where, f"part of the figure went blank ({c0} -> {c1})"))
        stated = self.kind != "slider" or readout_states(r1, v1)  # only a number is stated
        if not (self.strict or self.states or v1 == v0 or stated):
            out.append(
                Problem(self.where, f"the readout does not state the new value {v1}: {r1!r}")
            )
        return out


def _wait_stated(explorer, which: int, now: tuple, timeout: float, settle=None) -> tuple:
    """After a drag: poll until the readout states the value the slider shows, then until
    nothing changes any more; returns what is shown then.

    ipywidgets sends a slider's values one at a time: the next waits in the browser until
    the kernel has handled the last, so the final value of a drag reaches a busy kernel
    seconds after the release, while the kernel may look idle in between (one
    ``wait_idle``) and the figure may change meanwhile for other reasons (seen in notebook
    05: the harness read 0.9990 up to 1 s before the kernel received 0.6630).
    """
    deadline = time.monotonic() + timeout
    while not readout_states(now[1], now[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
        now = shown(explorer, which)
    return _settled(explorer, which, now, deadline, settle)  # the frame that goes with it


def _sliders(explorer) -> list[int]:
    return explorer.evaluate("(el) => window.courseProbe.enabledSliders(el)")


def move_with_keyboard(page, index: int, timeout: float = 15, settle=None) -> Move | None:
    """Focus the first slider of explorer ``index`` a student can move and press an arrow
    key once, as a student who clicked or tabbed to it would."""
    explorer = explorers(page).nth(index)
    enabled = _sliders(explorer)
    if not enabled:
        return None
    which = enabled[0]
    slider = explorer.locator(".widget-slider").nth(which)
    explorer.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    before = shown(explorer, which)
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    # A slider that acts through a button (class course-deferred) changes only the readout.
    strict = "course-deferred" not in (slider.get_attribute("class") or "").split()
    handle.focus()
    handle.press("ArrowLeft" if at_max else "ArrowRight")
    after, seconds = _wait_change(explorer, which, before, timeout, strict, settle)
    return Move(index, "keyboard", _label(slider), before, after, seconds, strict=strict)


def move_with_mouse(page, index: int, timeout: float = 15, settle=None) -> Move | None:
    """Drag the handle of explorer ``index``'s last movable slider a third of the way."""
    explorer = explorers(page).nth(index)
    enabled = _sliders(explorer)
    if not enabled:
        return None
    which = enabled[-1]
    slider = explorer.locator(".widget-slider").nth(which)
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-base").first.bounding_box()
    box = handle.bounding_box()
    before = shown(explorer, which)
    deferred = "course-deferred" in (slider.get_attribute("class") or "").split()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    room_right = track["x"] + track["width"] - x
    dx = track["width"] / 3 * (1 if room_right > track["width"] / 2 else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()
    after, seconds = _wait_change(explorer, which, before, timeout, False, settle)
    if not deferred:  # a slider that acts at once: its readout must end on the drag's value
        after = _wait_stated(explorer, which, after, timeout, settle)
    how, label = "mouse drag", _label(slider)
    return Move(index, how, label, before, after, seconds, strict=False, states=not deferred)


def _label(slider) -> str:
    label = slider.locator(".widget-label")
    return label.first.inner_text().strip() if label.count() else "?"


# --------------------------------------------------------------------------------------
# Text boxes and dropdowns
# --------------------------------------------------------------------------------------

#: The controls besides sliders that a student changes: (kind, CSS selector of the element).
OTHER_CONTROLS = (("text box", ".widget-text input"), ("dropdown", ".widget-dropdown select"))
#: Seconds to wait, after the readout has followed a typed character, for the figure too: an
#: explorer may redraw its figure a moment after its readout.
REDRAW_GRACE = 3.0


def control_state(explorer, selector: str) -> tuple:
    """(value of the first ``selector`` element, readout text, figure hash), as ``shown``."""
    return tuple(
        explorer.evaluate(
            """(el, sel) => { const c = el.querySelector(sel);
                 const s = window.courseProbe.explorerState(el, null);
                 return [c ? c.value : null, s[1], s[2]]; }""",
            selector,
        )
    )


def _wait_control(explorer, selector: str, before: tuple, timeout: float, settle=None):
    """Poll until the control shows a new value and the readout or the figure followed; if
    only the readout did, give the figure :data:`REDRAW_GRACE` seconds to follow; then
    until nothing changes. Returns what is shown and the seconds to the first response."""
    start = time.monotonic()
    deadline = start + timeout
    now = control_state(explorer, selector)
    while not (now[0] != before[0] and (now[1] != before[1] or now[2] != before[2])):
        if time.monotonic() > deadline:
            return now, float("nan")
        time.sleep(0.05)
        now = control_state(explorer, selector)
    latency = time.monotonic() - start
    grace = min(deadline, time.monotonic() + REDRAW_GRACE)
    while now[2] == before[2] and time.monotonic() < grace:
        time.sleep(0.1)
        now = control_state(explorer, selector)
    if settle is not None:
        settle()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        later = control_state(explorer, selector)
        if later == now:
            break
        now = later
    return now, latency


def type_into(page, index: int, timeout: float = 15, settle=None) -> Move | None:
    """Click at the end of explorer ``index``'s first text box and type one more character
    (its first one again, or "a" in an empty box), as a student typing on would."""
    kind, selector = OTHER_CONTROLS[0]
    explorer = explorers(page).nth(index)
    box = explorer.locator(selector)
    if not box.count() or not box.first.is_enabled():
        return None
    box = box.first
    box.scroll_into_view_if_needed()
    before = control_state(explorer, selector)
    box.click()
    box.press("End")
    page.keyboard.type((before[0] or "a")[0])
    after, seconds = _wait_control(explorer, selector, before, timeout, settle)
    return Move(index, "typing", _label(box.locator("xpath=..")), before, after, seconds,
                strict=False, kind=kind)  # fmt: skip


def pick_in_dropdown(page, index: int, timeout: float = 15, settle=None) -> Move | None:
    """Pick the next option (the first after the last) of explorer ``index``'s first
    dropdown, as a student choosing from its list would."""
    kind, selector = OTHER_CONTROLS[1]
    explorer = explorers(page).nth(index)
    select = explorer.locator(selector)
    if not select.count() or not select.first.is_enabled():
        return None
    select = select.first
    select.scroll_into_view_if_needed()
    options = select.locator("option").all_inner_texts()
    if len(options) < 2:
        return None
    before = control_state(explorer, selector)
    current = select.evaluate("(s) => s.selectedIndex")
    select.select_option(index=(current + 1) % len(options))
    after, seconds = _wait_control(explorer, selector, before, timeout, settle)
    return Move(index, "picking", _label(select.locator("xpath=..")), before, after, seconds,
                strict=False, kind=kind)  # fmt: skip


def exercise_explorers(page, shots: Path | None = None, settle=None):
    """Move every explorer on the page with the keyboard and the mouse, type into its first
    text box and pick in its first dropdown (where it has them); returns the moves, the
    problems and the warnings. ``settle()`` waits until the page has caught up."""
    moves, problems, warnings = [], [], []
    for i in range(explorers(page).count()):
        for move in (move_with_keyboard, move_with_mouse, type_into, pick_in_dropdown):
            result = move(page, i, settle=settle)
            if result is not None:
                moves.append(result)
                problems += result.problems()
                warnings += result.warnings()
        if shots is not None:
            explorers(page).nth(i).screenshot(path=str(shots / f"explorer-{i + 1:02d}.png"))
    return moves, problems, warnings
