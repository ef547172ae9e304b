// boot.js: a fixture. It loads wasm_exec.js, then the app.
(function () {
  const s = document.currentScript;
  const load = (src) => new Promise((ok, fail) => {
    const e = document.createElement("script");
    e.src = src; e.onload = ok; e.onerror = fail;
    document.head.appendChild(e);
  });
  load(s.dataset.exec).then(() => {
    const go = new Go();
    return WebAssembly.instantiateStreaming(fetch(s.dataset.app), go.importObject).then((r) => go.run(r.instance));
  });
})();
