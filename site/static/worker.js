// worker.js runs one Go instance (app.wasm, as a worker) in a Web Worker. Its
// creator posts {type: "init", module, exec, role, size, test}: the compiled
// WebAssembly.Module, the URL of wasm_exec.js, and the role Go plays here —
// "coordinator" (the page's one worker, which runs the strategies and a pool
// of size CPU workers of its own, so the page is never on a run's path) or
// "cpu" (the default: it runs tasks). Go reads them from self.lanesInit.
// Every later message is a JSON string for Go, which
// attaches itself with lanesAttach; messages that come earlier wait in a
// queue. Go answers with postMessage itself. {type: "close"} ends Go's wait;
// {type: "fail"}, for tests (only after an init with test: true), arms the
// worker to fail with an uncaught error, as a crash does, when it is handed
// its next message: a task in flight. core/protocol is the reference.
"use strict";

let receive = null;
let detach = null;
let failNext = false;
const queue = [];

self.lanesAttach = (recv, stop) => {
  receive = recv;
  detach = stop;
  self.postMessage('{"type":"ready"}');
  for (const m of queue.splice(0)) deliver(m);
};

function deliver(m) {
  if (failNext) {
    failNext = false;
    setTimeout(() => {
      throw new Error("worker failed on purpose");
    });
    return;
  }
  try {
    receive(m);
  } catch (err) {
    self.postMessage(JSON.stringify({ type: "crash", error: String(err) }));
  }
}

self.onmessage = async (e) => {
  const d = e.data;
  if (d !== null && typeof d === "object") {
    if (d.type === "init") {
      try {
        importScripts(d.exec);
        self.lanesInit = { role: d.role || "cpu", size: d.size || 0, test: d.test === true, module: d.module, exec: d.exec, script: self.location.href };
        const go = new Go();
        const instance = await WebAssembly.instantiate(d.module, go.importObject);
        go.run(instance).then(() => {
          self.postMessage(JSON.stringify({ type: "exit" }));
        });
      } catch (err) {
        self.postMessage(JSON.stringify({ type: "crash", error: String(err) }));
      }
    } else if (d.type === "close" && detach) {
      detach();
    } else if (d.type === "fail" && self.lanesInit && self.lanesInit.test) {
      failNext = true;
    }
    return;
  }
  if (receive) deliver(d);
  else queue.push(d);
};
