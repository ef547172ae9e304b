// boot.js starts Lanes: it compiles app.wasm once, runs it on the page and
// keeps the Module for the Web Workers, which instantiate the same one (the
// program finds out where it runs and becomes a worker there). It reads the
// asset URLs from its own data- attributes, so that the server can rewrite
// them for cache-busting, and keeps inline script out of the page (the
// Content-Security-Policy forbids it).
"use strict";

(() => {
  const me = document.currentScript;
  const url = (name) => new URL(me.dataset[name], location.href).href;
  const boot = {
    start: performance.now(),
    workerJS: url("workerJs"),
    exec: url("exec"),
    editor: me.dataset.editor ? url("editor") : "", // the code editor, loaded when first opened
    module: null,
    error: "",
  };
  window.lanesBoot = boot;

  const fail = (what, err) => {
    boot.error = what + ": " + err;
    const box = document.getElementById("boot-error");
    if (box) {
      box.textContent = "Lanes could not start (" + boot.error + "). Reload the page, or try a current browser.";
      box.hidden = false;
    }
  };

  const compile = (u) =>
    WebAssembly.compileStreaming
      ? WebAssembly.compileStreaming(fetch(u))
      : fetch(u).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b));

  // User Timing marks of a visit's start-up, for DevTools and the
  // benchmark's breakdown: compiled (downloaded and compiled, streaming),
  // instantiated; the page's Go marks the rest.
  const mark = (name) => performance.mark(name);
  boot.module = compile(url("app"));
  boot.module.then(() => mark("lanes compiled"), (err) => fail("app.wasm", err));

  // The page's Go program runs as long as the page. If it crashes (a
  // panic prints its text to the console and exits with code 2), the page
  // says so, and the console.error fails the browser tests. (It exits
  // with 0 only after showing why itself.)
  const go = new Go();
  go.exit = (code) => {
    if (code !== 0) {
      console.error("lanes: the page's Go program crashed, exit code", code);
      fail("app.wasm", "the program crashed (exit code " + code + ")");
    }
  };
  boot.module
    .then((m) => WebAssembly.instantiate(m, go.importObject))
    .then((inst) => {
      mark("lanes instantiated");
      return go.run(inst);
    })
    .catch((err) => fail("app.wasm", err));
})();
