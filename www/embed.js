// statebridge embeds: turns every <div data-statebridge="…"> into an iframe of the playground
// showing only the panes asked for, and keeps the iframe as tall as its content.
//
//   <script src="https://…/embed.js" defer></script>
//   <div data-statebridge="order-processing"            (an example name, or a share link …#v1=…)
//        data-panes="machine,graph,result"              (event rules machine mocks graph matches history result)
//        data-readonly                                  (code views instead of editors)
//        data-theme="dark"></div>                       (light | dark | auto)
//
// The frame reports its height with postMessage({type: "statebridge:resize", version: 1, id, height})
// to this page's origin only; this script accepts it only from the frame's origin, from that very
// frame's window, and only in that exact shape. It asks for a fresh measure with
// {type: "statebridge:measure", version: 1, id}, which the frame accepts only from this page.
(function () {
  'use strict';
  var RESIZE = 'statebridge:resize';
  var MEASURE = 'statebridge:measure';
  var MIN_HEIGHT = 80;
  var MAX_HEIGHT = 5000;
  var script = document.currentScript;
  // The playground lives next to this script.
  var app = new URL('./', script ? script.src : window.location.href);
  var frames = new Map();
  var counter = 0;

  function src(div, id) {
    var spec = (div.getAttribute('data-statebridge') || '').trim();
    var url = new URL(app.href);
    var q = url.searchParams;
    q.set('embed', '1');
    var hash = spec.indexOf('#');
    if (hash >= 0) {
      // A share link: the workspace stays in the fragment, which no server sees.
      url.hash = spec.slice(hash + 1);
    } else if (spec) {
      q.set('example', spec);
    }
    var panes = div.getAttribute('data-panes');
    if (panes) q.set('panes', panes);
    if (div.hasAttribute('data-readonly') && div.getAttribute('data-readonly') !== 'false') q.set('readonly', '1');
    var theme = div.getAttribute('data-theme');
    if (theme) q.set('theme', theme);
    q.set('id', id);
    q.set('origin', window.location.origin);
    return url.href;
  }

  function mount(div) {
    if (div.getAttribute('data-statebridge-mounted')) return;
    div.setAttribute('data-statebridge-mounted', '1');
    var id = div.id ? 'sb-' + div.id : 'sb-' + (++counter);
    var frame = document.createElement('iframe');
    frame.src = src(div, id);
    frame.title = div.getAttribute('data-title') || 'statebridge example';
    frame.loading = 'lazy';
    frame.setAttribute('data-statebridge-frame', id);
    frame.style.cssText = 'width:100%;border:0;display:block;color-scheme:normal;height:' +
      (parseInt(div.getAttribute('data-height'), 10) || 420) + 'px';
    frame.addEventListener('load', function () {
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: MEASURE, version: 1, id: id }, app.origin);
    });
    frames.set(id, frame);
    div.appendChild(frame);
  }

  function valid(d) {
    return d !== null && typeof d === 'object' && d.type === RESIZE && d.version === 1 &&
      typeof d.id === 'string' && typeof d.height === 'number' && isFinite(d.height) &&
      Object.keys(d).length === 4;
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== app.origin || !valid(e.data)) return;
    var frame = frames.get(e.data.id);
    if (!frame || e.source !== frame.contentWindow) return;
    var h = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(e.data.height)));
    frame.style.height = h + 'px';
    frame.setAttribute('data-sized', String(h));
  });

  function scan(root) {
    (root || document).querySelectorAll('div[data-statebridge]').forEach(mount);
  }

  window.statebridge = Object.assign(window.statebridge || {}, { scan: scan });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { scan(); });
  } else {
    scan();
  }
})();
