"""What the browser tests do on a page: run a notebook in JupyterLab, look for what a student
would see as broken, move explorer sliders and check that the figure and readout follow.

The checks work on the rendered page (what a student sees) and, in JupyterLab, on the
notebook model through ``window.jupyterapp`` (exposed by the test server) to know which
output carries which MIME types.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

# Text that means a widget or a figure did not render: the plain-text repr of a widget or
# figure, ipywidgets' own error, the course's fallbacks (Explorer and notebook 00's check).
FALLBACK_TEXT = [
    re.compile(r"Error displaying widget", re.I),
    re.compile(r"Error rendering (widget|output)", re.I),
    re.compile(r"Failed to (load|create) (widget|model|view)", re.I),
    re.compile(r"widgets? (are|is) not (rendering|working|displayed|shown)", re.I),
    re.compile(r"a static snapshot\. The controls need", re.I),
]
# Only in outputs rendered as plain text: a widget or figure shown as its repr.
REPR_TEXT = [
    re.compile(
        r"\b[A-Z]\w*\((value|children|layout|description|options|toolbar|figure|outputs|"
        r"msg_id|min|max)="
    ),
    re.compile(r"\b(VBox|HBox|Box|GridBox|Tab|Accordion|Output|Canvas|Figure)\(\)"),
    re.compile(r"<Figure size \d+(\.\d+)?x\d+(\.\d+)? with \d+ Axes>"),
    re.compile(r"Loading widget\.\.\.|Loading\.\.\.$"),
]
# Console messages that mean a widget failed in the front end.
CONSOLE_FAILURES = re.compile(
    r"Failed to (load|create) (model|view)|Could not (create|find) (a )?(model|view)|"
    r"Class \S+ not found in (module|registry)|Error displaying widget|"
    r"Model not found|No version of module",
    re.I,
)
EXPLORER_ERROR = "Could not update the figure"

_NUMBER = re.compile(r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+−]?\d+)?")


def numbers(text: str) -> list[float]:
    """Every number written in ``text`` (a Unicode minus counts as a minus sign)."""
    return [float(m.replace("−", "-")) for m in _NUMBER.findall(text)]


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
    so a number within one unit of the coarser of the two roundings (or 2 %) counts.
    """
    try:
        value = float(shown.strip().replace("−", "-"))
    except ValueError:
        return shown.strip() in readout
    tol = max(10.0 ** -decimals(shown), 0.02 * abs(value), 1e-12)
    for x in numbers(readout):
        if abs(x - value) <= tol:
            return True
    return False


@dataclass
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


# --------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------

_PANEL = "window.jupyterapp.shell.currentWidget"

_OUTPUTS_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    const outputs = [];
    const area = cell.outputArea;
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const json = cell.model.outputs.get(i).toJSON();
      const child = area && area.widgets[i] ? area.widgets[i].node : null;
      const rendered = child ? child.querySelector('.jp-OutputArea-output') : null;
      outputs.push({
        type: json.output_type,
        name: json.name || null,
        text: json.text ? [].concat(json.text).join('') : null,
        ename: json.ename || null,
        evalue: json.evalue || null,
        mimes: json.data ? Object.keys(json.data) : [],
        renderedMime: rendered ? rendered.getAttribute('data-mime-type') : null,
        domText: child ? child.innerText : '',
        hasWidgetView: child ? !!child.querySelector('.jupyter-widgets, .widget-container, .jupyter-matplotlib') : false,
        hidden: child ? child.offsetParent === null : true,
      });
    }
    cells.push({index, executionCount: cell.model.executionCount, outputs,
                source: cell.model.sharedModel.getSource().slice(0, 60)});
  });
  return cells;
}
"""


def open_notebook(page, server, name: str, timeout: float = 90) -> None:
    """Open ``name`` (relative to the server's root) in JupyterLab, kernel started."""
    page.goto(f"{server.url}/lab/tree/{name}?reset&token={server.token}")
    page.wait_for_function(
        f"""() => window.jupyterapp && {_PANEL} && {_PANEL}.sessionContext
               && {_PANEL}.context && {_PANEL}.context.path.endsWith({name!r})""",
        timeout=timeout * 1000,
    )
    page.evaluate(
        f"""async () => {{ const p = {_PANEL}; await window.jupyterapp.restored;
             await p.context.ready; await p.sessionContext.ready; }}"""
    )
    page.wait_for_function(
        f"() => {_PANEL}.sessionContext.session && {_PANEL}.sessionContext.session.kernel"
        f" && {_PANEL}.sessionContext.session.kernel.status === 'idle'",
        timeout=timeout * 1000,
    )


def run_all(page, timeout: float = 180) -> float:
    """Run every cell (Run > Run All Cells) and wait until the kernel is idle; seconds."""
    start = time.monotonic()
    page.evaluate(
        """() => { window.__courseRunAll = {done: false};
          window.jupyterapp.commands.execute('notebook:run-all-cells').then(
            ok => { window.__courseRunAll = {done: true, ok}; },
            err => { window.__courseRunAll = {done: true, error: String(err)}; }); }"""
    )
    page.wait_for_function("() => window.__courseRunAll.done", timeout=timeout * 1000)
    wait_idle(page, timeout)
    return time.monotonic() - start


def wait_idle(page, timeout: float = 60) -> None:
    page.wait_for_function(
        f"() => {_PANEL}.sessionContext.session.kernel.status === 'idle'",
        timeout=timeout * 1000,
    )


def wait_rendered(page, timeout: float = 30) -> list[Problem]:
    """Wait until every widget output has a rendered view and every ipympl figure has
    drawn its first frame; return what did not in time."""
    deadline = time.monotonic() + timeout
    while True:
        pending = _pending_renders(page)
        if not pending or time.monotonic() > deadline:
            return [Problem(where, what) for where, what in pending]
        time.sleep(0.25)


def _pending_renders(page) -> list[tuple[str, str]]:
    pending = []
    for cell in page.evaluate(_OUTPUTS_JS):
        for out in cell["outputs"]:
            if "application/vnd.jupyter.widget-view+json" in out["mimes"]:
                if not out["hasWidgetView"]:
                    pending.append((_where(cell), "widget output has no rendered view"))
    blank = page.evaluate(
        """() => Array.from(document.querySelectorAll('.jupyter-matplotlib-canvas-div'))
             .map((div, i) => [i, div.querySelector('canvas')])
             .filter(([i, c]) => !c || c.width === 0 || !drawn(c)).map(([i]) => i)
           ; function drawn(c) {
               const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
               for (let k = 3; k < d.length; k += 4 * 97) if (d[k] !== 0) return true;
               return false; }"""
    )
    pending += [(f"figure {i + 1}", "ipympl canvas never drew a frame") for i in blank]
    return pending


def _where(cell: dict) -> str:
    src = cell["source"].split("\n")[0]
    return f"cell {cell['index'] + 1} [{src}]"


def notebook_problems(page) -> list[Problem]:
    """Everything in the run notebook that a student would see as broken."""
    problems = []
    for cell in page.evaluate(_OUTPUTS_JS):
        where = _where(cell)
        for out in cell["outputs"]:
            if out["type"] == "error":
                problems.append(Problem(where, f"raised {out['ename']}: {out['evalue']}"))
            elif out["type"] == "stream" and out["name"] == "stderr":
                problems.append(Problem(where, f"wrote to stderr: {out['text'][:300]!r}"))
            problems += text_problems(where, out["domText"], out["renderedMime"])
    return problems


def text_problems(where: str, text: str, mime: str | None) -> list[Problem]:
    """Fallback text in one rendered output (``mime`` is the MIME type it was rendered as)."""
    found = [p.pattern for p in FALLBACK_TEXT if p.search(text)]
    if mime == "text/plain":
        found += [p.pattern for p in REPR_TEXT if p.search(text)]
    return [Problem(where, f"shows {text.strip()[:200]!r} (matches /{pat}/)") for pat in found]


def console_problems(messages: list[str]) -> list[Problem]:
    return [Problem("browser console", m[:300]) for m in messages if CONSOLE_FAILURES.search(m)]


def save_and_close(page, timeout: float = 30) -> None:
    """Save the notebook (with widget state), shut its kernel down, close it."""
    page.evaluate(
        f"""async () => {{ const p = {_PANEL};
             await window.jupyterapp.commands.execute('docmanager:save');
             await p.sessionContext.shutdown(); p.dispose(); }}"""
    )


# --------------------------------------------------------------------------------------
# Screenshots
# --------------------------------------------------------------------------------------


def screenshot_pages(page, scroller: str, out: Path, stem: str, max_pages: int = 40) -> list[Path]:
    """Screenshots of a scrolling page, one viewport at a time, top to bottom."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{stem}-page-*.png"):
        old.unlink()
    page.evaluate(f"() => document.querySelector({scroller!r}).scrollTo(0, 0)")
    paths = []
    for k in range(1, max_pages + 1):
        time.sleep(0.3)  # let lazily drawn canvases paint
        path = out / f"{stem}-page-{k:02d}.png"
        page.screenshot(path=str(path))
        paths.append(path)
        moved = page.evaluate(
            f"""() => {{ const s = document.querySelector({scroller!r});
                 const before = s.scrollTop; s.scrollBy(0, s.clientHeight - 60);
                 return s.scrollTop !== before; }}"""
        )
        if not moved:
            break
    return paths


# --------------------------------------------------------------------------------------
# Explorers
# --------------------------------------------------------------------------------------


_STATE_JS = """
(el, sliderIndex) => {
  // What the explorer shows now: the slider's value, the readout, a hash of the figure.
  const sliders = el.querySelectorAll('.widget-slider');
  const slider = sliderIndex === null ? null : sliders[sliderIndex < 0 ? sliders.length + sliderIndex : sliderIndex];
  const value = slider ? slider.querySelector('.widget-readout').innerText.trim() : null;
  const html = Array.from(el.children).filter(c => c.classList.contains('widget-html'));
  const readout = html.length ? html[html.length - 1].innerText : '';
  let figure = null;
  const c = el.querySelector('.jupyter-matplotlib-canvas-div canvas');
  if (c && c.width > 0) {
    // A cheap hash of the pixels (toDataURL would PNG-encode, ~100 ms per call, and
    // polling with it slows the very page being measured).
    const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    let h = 0, opaque = 0;
    for (let i = 0; i < d.length; i += 3) {
      h = (Math.imul(h, 31) + d[i]) | 0;
      if ((d[i] >>> 24) !== 0) opaque++;
    }
    // The share of drawn pixels, so a frame that blanked the figure is caught too.
    figure = `${c.width}x${c.height}:${h}:${(3 * opaque / d.length).toFixed(2)}`;
  } else {
    const img = el.querySelector('img');
    figure = img ? `${img.src.length}:${img.src.slice(-64)}` : null;
  }
  return [value, readout, figure];
}
"""


def shown(explorer, slider: int | None = None) -> tuple:
    """(slider ``slider``'s value, readout text, figure hash) of an explorer, in one call."""
    return tuple(explorer.evaluate(_STATE_JS, slider))


def _wait_change(explorer, which: int, before: tuple, timeout: float) -> tuple[tuple, float]:
    """Poll until the slider shows a new value, the readout states it and the figure has
    changed, then until the figure stops changing (a drag queues several updates in the
    kernel); return what is shown then and the seconds until the first full response."""
    start = time.monotonic()
    deadline = start + timeout
    latency = float("nan")
    while True:
        now = shown(explorer, which)
        changed = all(a != b for a, b in zip(now, before, strict=True))
        if changed and readout_states(now[1], now[0]):
            latency = time.monotonic() - start
            break
        if time.monotonic() > deadline:
            return now, latency
        time.sleep(0.05)
    while time.monotonic() < deadline:
        time.sleep(0.4)
        later = shown(explorer, which)
        if later == now:
            break
        now = later
    return now, latency


@dataclass
class Move:
    """One slider move and what followed it."""

    explorer: int
    how: str
    slider: str
    before: tuple
    after: tuple
    seconds: float

    def problems(self) -> list[Problem]:
        where = f"explorer {self.explorer + 1}, slider {self.slider!r} ({self.how})"
        (v0, r0, c0), (v1, r1, c1) = self.before, self.after
        out = []
        if v1 == v0:
            out.append(Problem(where, f"the slider did not move (still {v0})"))
            return out
        if c0 is None:
            out.append(Problem(where, "no figure (canvas or image) found in the explorer"))
        elif c1 == c0:
            out.append(Problem(where, f"the figure did not change when the slider went {v0} -> {v1}"))
        elif c1 and float(c1.rsplit(":", 1)[-1]) < 0.5:
            out.append(Problem(where, f"after the move most of the figure is blank ({c1})"))
        if r1 == r0:
            out.append(Problem(where, f"the readout did not change: {r1!r}"))
        elif not readout_states(r1, v1):
            out.append(Problem(where, f"the readout {r1!r} does not state the new value {v1}"))
        if EXPLORER_ERROR in r1:
            out.append(Problem(where, f"the explorer reported an error: {r1!r}"))
        return out


def explorers(page):
    return page.locator(".course-explorer")


def move_with_keyboard(page, index: int, timeout: float = 15) -> Move | None:
    """Focus the first slider of explorer ``index`` and press an arrow key, as a student
    tabbing to it would."""
    explorer = explorers(page).nth(index)
    sliders = explorer.locator(".widget-slider")
    if sliders.count() == 0:
        return None
    slider = sliders.first
    explorer.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    before = shown(explorer, 0)
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    handle.focus()
    handle.press("ArrowLeft" if at_max else "ArrowRight")
    after, seconds = _wait_change(explorer, 0, before, timeout)
    return Move(index, "keyboard", _label(slider), before, after, seconds)


def move_with_mouse(page, index: int, timeout: float = 15) -> Move | None:
    """Drag the last slider's handle of explorer ``index`` a third of the way along."""
    explorer = explorers(page).nth(index)
    sliders = explorer.locator(".widget-slider")
    if sliders.count() == 0:
        return None
    slider = sliders.last
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    track = slider.locator(".noUi-base").first.bounding_box()
    box = handle.bounding_box()
    before = shown(explorer, -1)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    room_right = track["x"] + track["width"] - x
    dx = track["width"] / 3 * (1 if room_right > track["width"] / 2 else -1)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()
    after, seconds = _wait_change(explorer, -1, before, timeout)
    return Move(index, "mouse drag", _label(slider), before, after, seconds)


def _label(slider) -> str:
    label = slider.locator(".widget-label")
    return label.first.inner_text().strip() if label.count() else "?"
