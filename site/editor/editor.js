// The page's code editor: CodeMirror 6 with Go highlighting, line numbers
// and diagnostics, bundled into site/static/editor.js by build.sh. The page
// loads that file only when the editor is opened, and drives it through
// window.LanesEditor.
//
// Keys: Ctrl/⌘+Enter runs; Tab indents; Esc then Tab leaves the editor
// (CodeMirror's escape from a Tab-handling editor, so there is no trap).
import { EditorState, Compartment } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, indentUnit } from "@codemirror/language";
import { go } from "@codemirror/lang-go";
import { setDiagnostics, lintGutter } from "@codemirror/lint";

// open puts an editor into parent and returns its handle. opts: doc (the
// text), readOnly, label (the accessible name), onRun (Ctrl/⌘+Enter) and
// onChange (each edit, given the text).
function open(parent, opts) {
  const editable = new Compartment();
  const ro = (on) => [EditorState.readOnly.of(on), EditorView.editable.of(!on)];
  const run = () => { if (opts.onRun) opts.onRun(); return true; };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.doc || "",
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(),
        history(), indentOnInput(), bracketMatching(), indentUnit.of("\t"),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }), go(), lintGutter(),
        keymap.of([{ key: "Mod-Enter", run, preventDefault: true }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        editable.of(ro(!!opts.readOnly)),
        EditorView.contentAttributes.of({ "aria-label": opts.label || "Task code" }),
        EditorView.updateListener.of((u) => { if (u.docChanged && opts.onChange) opts.onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    getDoc: () => view.state.doc.toString(),
    setDoc: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setReadOnly: (on) => view.dispatch({ effects: editable.reconfigure(ro(on)) }),
    // diags: [{line, column, message}], 1-based as the build service gives
    // them, the column in UTF-8 bytes as the Go compiler counts; each is
    // marked over the word it points at. Line 0 (the whole file) is the
    // page's to list.
    setDiagnostics: (diags) => {
      const doc = view.state.doc;
      const list = (diags || []).filter((d) => d.line >= 1).map((d) => {
        const line = doc.line(Math.min(d.line, doc.lines));
        const from = line.from + byteOffset(line.text, d.column || 1);
        const word = /^[\p{L}\p{N}_]+/u.exec(line.text.slice(from - line.from));
        const to = Math.min(from + (word ? word[0].length : 1), line.to);
        return { from, to: Math.max(from, to), severity: "error", message: d.message };
      });
      view.dispatch(setDiagnostics(view.state, list));
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
    view,
  };
}

// byteOffset is the offset in text (UTF-16 units, as CodeMirror counts)
// of a 1-based column counted in UTF-8 bytes, as the Go compiler counts.
function byteOffset(text, column) {
  const want = Math.max(column - 1, 0);
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < want) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

self.LanesEditor = { open, byteOffset };
