// Injected into every page the browser tests open (JupyterLab, Voila, static HTML), as
// window.courseProbe: what the tests read off the page. Kept here rather than in Python
// strings so it reads (and diffs) as JavaScript.
window.courseProbe = {
  // JupyterLab only: every code cell's outputs, from the notebook model (output type, MIME
  // types) and from the page (what was rendered, as which MIME type).
  labOutputs() {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = [];
    panel.content.widgets.forEach((cell, index) => {
      if (cell.model.type !== 'code') return;
      const outputs = [];
      const area = cell.outputArea;
      for (let i = 0; i < cell.model.outputs.length; i++) {
        const json = cell.model.outputs.get(i).toJSON();
        const child = area && area.widgets[i] ? area.widgets[i].node : null;
        outputs.push(this.describeOutput(json, child));
      }
      const source = cell.model.sharedModel.getSource();
      cells.push({ index, outputs, source: source.slice(0, 60) });
    });
    return cells;
  },

  describeOutput(json, node) {
    const rendered = node ? node.querySelector('[data-mime-type]') : null;
    const views = '.jupyter-widgets, .widget-container, .jupyter-matplotlib';
    return {
      type: json.output_type,
      name: json.name || null,
      text: json.text ? [].concat(json.text).join('') : null,
      ename: json.ename || null,
      evalue: json.evalue || null,
      mimes: json.data ? Object.keys(json.data) : [],
      renderedMime: rendered ? rendered.getAttribute('data-mime-type') : null,
      domText: node ? node.innerText : '',
      hasWidgetView: node ? !!node.querySelector(views) : false,
    };
  },

  // Any page: the rendered outputs, without the model (Voila, static HTML).
  pageOutputs() {
    return Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((node) => ({
      renderedMime: node.getAttribute('data-mime-type'),
      domText: node.innerText,
    }));
  },

  // Indexes of ipympl canvases that show nothing yet.
  blankFigures() {
    const divs = Array.from(document.querySelectorAll('.jupyter-matplotlib-canvas-div'));
    const blank = [];
    divs.forEach((div, i) => {
      const c = div.querySelector('canvas');
      if (!c || c.width === 0 || this.coverage(c, 97) === 0) blank.push(i);
    });
    return blank;
  },

  // Share of non-transparent pixels of a canvas, sampling every `stride`-th pixel.
  coverage(canvas, stride) {
    const ctx = canvas.getContext('2d');
    const d = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    let opaque = 0;
    for (let i = 0; i < d.length; i += stride) if (d[i] >>> 24 !== 0) opaque++;
    return (opaque * stride) / d.length;
  },

  // ipympl canvases wider than the output area they sit in: [index, px cut, width, column].
  clippedFigures() {
    const canvases = document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas:first-child');
    return Array.from(canvases)
      .map((c, i) => {
        const out = c.closest('.jp-OutputArea-output') || document.body;
        const box = out.getBoundingClientRect();
        const over = c.getBoundingClientRect().right - Math.min(box.right, window.innerWidth);
        return [i, Math.round(over), c.width, Math.round(box.width)];
      })
      .filter(([, over]) => over > 2);
  },

  // Indexes (among the explorer's sliders) of those a student can move.
  enabledSliders(el) {
    return Array.from(el.querySelectorAll('.widget-slider'))
      .map((s, i) => [i, s.querySelector('.noUi-target')])
      .filter(([, t]) => t && !t.hasAttribute('disabled') && t.offsetParent !== null)
      .map(([i]) => i);
  },

  // What an explorer shows now: [value shown by slider `which` (negative: from the end),
  // readout text, a hash of its figure with the share of drawn pixels].
  explorerState(el, which) {
    const sliders = el.querySelectorAll('.widget-slider');
    const slider = which === null ? null : sliders[which < 0 ? sliders.length + which : which];
    const value = slider ? slider.querySelector('.widget-readout').innerText.trim() : null;
    const html = Array.from(el.children).filter((c) => c.classList.contains('widget-html'));
    const readout = html.length ? html[html.length - 1].innerText : '';
    return [value, readout, this.figureHash(el)];
  },

  // A cheap hash of the pixels: toDataURL would PNG-encode (~100 ms a call) and polling
  // with it would slow down the very page being measured.
  figureHash(el) {
    const c = el.querySelector('.jupyter-matplotlib-canvas-div canvas');
    if (c && c.width > 0) {
      const ctx = c.getContext('2d');
      const d = new Uint32Array(ctx.getImageData(0, 0, c.width, c.height).data.buffer);
      let h = 0;
      let opaque = 0;
      for (let i = 0; i < d.length; i += 3) {
        h = (Math.imul(h, 31) + d[i]) | 0;
        if (d[i] >>> 24 !== 0) opaque++;
      }
      return `${c.width}x${c.height}:${h}:${((3 * opaque) / d.length).toFixed(2)}`;
    }
    const img = el.querySelector('img');
    return img ? `${img.src.length}:${img.src.slice(-64)}` : null;
  },
};
