/**
 * CodeMirror 6 over the studio's lesson <textarea> (docs/decisions/039).
 * Loaded only by `import()` from lesson-editor.tsx once the page runs in a
 * browser, so CodeMirror is in its own chunk, never in the root bundle or
 * another route's (tests/client-bundle-check.mjs fails the build check if it
 * is). `.client.ts`: the server build gets an empty module.
 *
 * The textarea stays the form's field: every change is written back into it,
 * so the same form posts the same `text` with JavaScript on or off.
 */
import { autocompletion, closeCompletion, completionKeymap, snippet, snippetCompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdownKeymap, markdownLanguage } from "@codemirror/lang-markdown";
import { HighlightStyle, LanguageSupport, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorSelection, EditorState, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, highlightActiveLine, keymap, lineNumbers, type DecorationSet } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { COMPONENT_SNIPPETS, propSnippets, tagContext, type Snippet } from "./component-snippets.ts";

export type CodeEditorHandle = {
  /** The documented components, for the "Insert a component" buttons. */
  snippets: Snippet[];
  /** Puts the cursor at line:column (1-based), marks that line and scrolls it into view. */
  goTo(line: number, column: number): void;
  /** Inserts a snippet template at the cursor; Tab then moves through its fields, Escape leaves them. */
  insert(template: string): void;
  focus(): void;
  /** The ids that describe the editor (the hint, and the error message when there is one). */
  describe(describedBy: string): void;
  destroy(): void;
};

/**
 * The page's CSP nonce. The browser hides a nonce attribute once the
 * document is parsed (getAttribute gives ""), but keeps it in the element's
 * `nonce` property: Remix's <Scripts> carry the response's nonce.
 */
function pageNonce(): string {
  return document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "";
}

/** Colours chosen for contrast on white (at least 7:1), not CodeMirror's default palette (some under 4.5:1). */
const highlight = HighlightStyle.define([
  { tag: tags.heading, fontWeight: "bold" },
  { tag: tags.emphasis, fontStyle: "italic" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: [tags.link, tags.url], color: "#1d3f8c", textDecoration: "underline" },
  { tag: [tags.processingInstruction, tags.labelName, tags.contentSeparator, tags.escape, tags.character], color: "#4a2a6a" },
  { tag: [tags.monospace, tags.string], color: "#6b1d1d" },
  { tag: tags.comment, color: "#3d4a3d", fontStyle: "italic" },
]);

const markLine = StateEffect.define<number | null>();
const problemLine = Decoration.line({ class: "cm-problem-line" });

/** The line a problem's link points at, marked until another link is followed. */
const markedLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(markLine)) continue;
      marks = effect.value === null ? Decoration.none : Decoration.set([problemLine.range(tr.state.doc.line(effect.value).from)]);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** Components after `<`, and a component's remaining props inside its open tag, from the allow-list. */
function componentCompletions(context: CompletionContext): CompletionResult | null {
  const line = context.state.doc.lineAt(context.pos);
  const at = tagContext(line.text.slice(0, context.pos - line.from));
  if (!at) return null;
  if (at.kind === "component") {
    return {
      from: context.pos - at.typed.length - 1,
      options: COMPONENT_SNIPPETS.map((s) => snippetCompletion(s.template, { label: `<${s.label}`, detail: s.detail, type: "type" })),
      validFor: /^<[A-Za-z]*$/,
    };
  }
  const options = propSnippets(at.component, at.written).map((s) => snippetCompletion(s.template, { label: s.label, detail: s.detail, type: "property" }));
  if (options.length === 0) return null;
  return { from: context.pos - at.typed.length, options, validFor: /^[A-Za-z]*$/ };
}

/** `markdown`: a lesson or overview (.mdx) gets Markdown and the components; the question bank (YAML) plain text. */
export function mountCodeEditor(options: { textarea: HTMLTextAreaElement; parent: HTMLElement; labelId: string; describedBy: string; markdown: boolean }): CodeEditorHandle {
  const { textarea, parent } = options;
  const readOnly = textarea.readOnly;
  const description = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        EditorView.cspNonce.of(pageNonce()),
        // Labelled and described as the textarea it stands in for. tabindex 0 changes no tab order (the
        // content is editable, so already a stop) but tells axe the scroller holds something focusable.
        EditorView.contentAttributes.of({ "aria-labelledby": options.labelId, spellcheck: "true", tabindex: "0" }),
        description.of(EditorView.contentAttributes.of({ "aria-describedby": options.describedBy })),
        lineNumbers(),
        highlightActiveLine(),
        history(),
        options.markdown ? [new LanguageSupport(markdownLanguage), syntaxHighlighting(highlight), autocompletion({ override: [componentCompletions] })] : [],
        EditorView.lineWrapping,
        markedLine,
        // No indentWithTab: Tab and Shift-Tab leave the editor, as from the textarea. An inserted snippet
        // takes Tab for its fields until Escape (or its last field), after which Tab leaves again.
        keymap.of([...(options.markdown ? [...completionKeymap, ...markdownKeymap] : []), ...historyKeymap, ...defaultKeymap]),
        EditorState.readOnly.of(readOnly),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) textarea.value = update.state.doc.toString();
        }),
      ],
    }),
  });
  // The textarea stays in the form, out of sight and out of the tab order: the editor above is its view.
  textarea.hidden = true;

  return {
    snippets: options.markdown ? COMPONENT_SNIPPETS : [],
    goTo(line, column) {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = target.from + Math.min(Math.max(0, column - 1), target.length);
      view.dispatch({ selection: EditorSelection.cursor(pos), effects: [markLine.of(target.number), EditorView.scrollIntoView(pos, { y: "center" })] });
      view.focus();
    },
    insert(template) {
      if (readOnly || !options.markdown) return;
      closeCompletion(view);
      const { from, to } = view.state.selection.main;
      snippet(template)(view, null, from, to);
      view.focus();
    },
    focus: () => view.focus(),
    describe(describedBy) {
      view.dispatch({ effects: description.reconfigure(EditorView.contentAttributes.of({ "aria-describedby": describedBy })) });
    },
    destroy() {
      view.destroy();
      textarea.hidden = false;
    },
  };
}
