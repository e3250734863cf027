import { useEffect, useRef, useState } from "react";
import type { CodeEditorHandle } from "./code-editor.client.ts";

type At = { line: number; column: number };

/**
 * The lesson text field: a plain <textarea> the server renders and the form
 * posts, with or without JavaScript. In a browser, CodeMirror (markdown,
 * line numbers, the documented components as snippets) is loaded on demand
 * and put in front of it, writing every change back into the textarea, which
 * stays the field (docs/decisions/039). If the editor's chunk cannot load,
 * the textarea simply stays in view.
 */
export function LessonEditor(props: { label: string; defaultValue: string; readOnly: boolean; errors: string[]; at: At | null; markdown: boolean }) {
  const { label, defaultValue, readOnly, errors, at, markdown } = props;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const [editor, setEditor] = useState<CodeEditorHandle | null>(null);
  const describedBy = errors.length ? "editor-hint editor-error" : "editor-hint";
  const description = useRef(describedBy);
  description.current = describedBy;

  useEffect(() => {
    let handle: CodeEditorHandle | null = null;
    let cancelled = false;
    // Dynamic import: CodeMirror is its own chunk, fetched only here and only in a browser.
    import("./code-editor.client.ts")
      .then(({ mountCodeEditor }) => {
        if (cancelled || !textarea.current || !host.current) return;
        handle = mountCodeEditor({ textarea: textarea.current, parent: host.current, labelId: "editor-label", describedBy: description.current, markdown });
        setEditor(handle);
      })
      // The textarea was never hidden: it stays the editor.
      .catch(() => undefined);
    return () => {
      cancelled = true;
      handle?.destroy();
    };
  }, [markdown]);

  useEffect(() => editor?.describe(describedBy), [editor, describedBy]);

  // A problem's link (?line=&column=) puts the cursor there: in CodeMirror once loaded, in the textarea until then.
  useEffect(() => {
    if (!at) return;
    if (editor) editor.goTo(at.line, at.column);
    else if (textarea.current) selectInTextarea(textarea.current, at);
  }, [at, editor]);

  return (
    <div className={`form-group${errors.length ? " form-group--error" : ""}`}>
      {/* The label names the textarea and, through aria-labelledby, the editor that stands in for it. */}
      <label
        className="label"
        htmlFor="editor"
        id="editor-label"
        onClick={(event) => {
          if (!editor) return;
          event.preventDefault();
          editor.focus();
        }}
      >
        {label}
      </label>
      <div id="editor-hint" className="hint">
        The frontmatter between the --- lines, then the text in Markdown with the components in the authors&rsquo; guide.
        {editor && !readOnly && markdown ? " Type < for a component, or use the buttons; Tab moves through its fields, Escape then Tab leaves the editor." : null}
      </div>
      {errors.map((message) => (
        <p key={message} id="editor-error" className="error-message">
          <span className="visually-hidden">Error: </span>
          {message}
        </p>
      ))}
      {editor && !readOnly && markdown ? (
        <div className="editor-toolbar" role="group" aria-labelledby="insert-component-label">
          <span id="insert-component-label">Insert a component:</span>
          {editor.snippets.map((s) => (
            <button key={s.label} type="button" className="button button--secondary editor-toolbar__button" title={s.detail} onClick={() => editor.insert(s.template)}>
              {s.label}
            </button>
          ))}
        </div>
      ) : null}
      <div ref={host} className="code-editor" />
      <textarea
        ref={textarea}
        id="editor"
        name="text"
        className="textarea textarea--code"
        rows={30}
        spellCheck
        defaultValue={defaultValue}
        readOnly={readOnly}
        aria-describedby={describedBy}
      />
    </div>
  );
}

/** Selects from line:column to the end of that line and scrolls it near the top. */
function selectInTextarea(el: HTMLTextAreaElement, at: At) {
  const lines = el.value.split("\n");
  const offset = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, at.column - 1);
  el.focus();
  el.setSelectionRange(offset, offset + (lines[at.line - 1]?.length ?? 0) - Math.max(0, at.column - 1));
  const lineHeight = el.scrollHeight / Math.max(1, lines.length);
  el.scrollTop = Math.max(0, (at.line - 3) * lineHeight);
}
