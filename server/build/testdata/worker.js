// worker.js for Node: runs a task's module as a CPU worker (the role
// site/static/worker.js gives it in a Web Worker), sends it the messages
// given as JSON in argv, and prints every answer, one JSON object a line,
// once each call is answered.
//
//   node worker.js wasm_exec.js task.wasm '[{"type":"do","id":1,...}, ...]'
"use strict";
const fs = require("fs");
const [execPath, wasmPath, callsJSON] = process.argv.slice(2);
require(execPath); // globalThis.Go
const calls = JSON.parse(callsJSON);
const pending = new Set(calls.map((c) => c.id));
let detach = null;
globalThis.lanesInit = { role: "cpu", size: 0, test: false };
globalThis.postMessage = (data) => {
  console.log(data);
  let m;
  try {
    m = JSON.parse(data);
  } catch (e) {
    return;
  }
  if (m.type === "result" || m.type === "error") {
    pending.delete(m.id);
    if (pending.size === 0 && detach) detach();
  }
};
globalThis.lanesAttach = (receive, stop) => {
  detach = stop;
  for (const c of calls) receive(JSON.stringify(c));
};
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(wasmPath), go.importObject).then((r) => go.run(r.instance));
setTimeout(() => {
  console.error("no answer within 120 s");
  process.exit(3);
}, 120000).unref();
