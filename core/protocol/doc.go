// Package protocol is the reference for the two message protocols of
// Lanes in the browser, as Go types: the worker protocol, between the page,
// its coordinator worker and the CPU workers, and the embed protocol,
// between an embedded Lanes and the page that embeds it.
//
// # The worker protocol
//
// A worker runs site/static/worker.js, which takes plain objects first:
//
//	creator → worker.js  {type: ScriptInit, module, exec, role, size}   start Go (RoleCPU or RoleCoordinator)
//	                     {type: ScriptClose}                            end Go's wait
//	                     {type: ScriptFail}                             arm a crash on the next call (tests)
//	worker.js → creator  '{"type": ScriptReady}'                        Go listens
//	                     '{"type": ScriptExit}'                         Go exited
//	                     '{"type": ScriptCrash, "error": …}'            an error was caught
//
// Every later message, both ways, is a Message sent as a JSON string. A
// call names an export as its Type and carries an ID; it is answered
// exactly once, by TypeResult or TypeError with its ID, and events with
// the same ID may come before the answer: one in a TypeEvent message, or
// several at once in a TypeEvents message (added), whose body is the
// array of their bodies — a call's events go out at most every
// EventEvery, so a run of ten thousand tasks sends tens of messages, not
// ten thousand. Events reads both. TypeCancel with a
// call's ID cancels the call's context; the call still answers once. A Mux
// answers calls on the worker's side.
//
// The exports: ExportRun (body RunRequest; events report.Task as each is
// delivered; answer report.Run, or a RunAnswer when the request asked for
// Streamed), ExportDo (body remote.Request; answer
// remote.Response), and on the coordinator ExportStatus (answer Status)
// and ExportFail (body a lane number: arm that CPU worker's crash).
//
// # The embed protocol
//
// An embedded Lanes and its parent page talk with window.postMessage.
// Every message is an object with source "lanes" (Source) and a type:
//
//	Lanes → parent  ready; progress {done, total}; report {report}; resize {height}; error {message}
//	parent → Lanes  run {params: the URL's names, strings or numbers}; stop
//
// Outbound builds the first kind and ParseInbound reads the second: a
// malformed message is an error to answer with, and changes nothing.
package protocol
