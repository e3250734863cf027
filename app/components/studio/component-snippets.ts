import { ALLOWED_COMPONENT_NAMES, MDX_ALLOW_LIST, type AllowedComponent, type PropRule } from "#app/content/mdx-allow-list.ts";

/**
 * What the studio's code editor offers for the documented components
 * (content/README.md), built from the same allow-list the checker enforces,
 * so the editor never suggests a component or prop that would be refused.
 * Templates use @codemirror/autocomplete's snippet syntax: `${name}` is a
 * field the author tabs through (Escape leaves the snippet), and the name is
 * the placeholder text, itself an accepted value where a placeholder can be.
 * Pure data: no CodeMirror here, so a unit test reads it without a browser.
 */
export type Snippet = { label: string; detail: string; template: string };

/** A prop's `name="${placeholder}"`: enum and list props start on their first allowed value. */
export function propTemplate(name: string, rule: PropRule): string {
  switch (rule.kind) {
    case "enum":
      return `${name}="\${${rule.values[0]}}"`;
    case "string-list":
      return `${name}={["\${${rule.values[0]}}"]}`;
    case "https-url":
      return `${name}="\${https://}"`;
    case "image-hash":
      return `${name}="\${hash from the Images page}"`;
    case "text":
      return `${name}="\${${name}}"`;
  }
}

/** The props a component's snippet writes out: the required ones, and an enum's (a Callout's type). */
function snippetProps(name: AllowedComponent): [string, PropRule][] {
  return Object.entries(MDX_ALLOW_LIST[name].props as Record<string, PropRule>).filter(([, rule]) => rule.required || rule.kind === "enum");
}

/** The whole component: opening tag with its required props, then content and the closing tag, or ` />`. */
export function componentSnippet(name: AllowedComponent): Snippet {
  const rule = MDX_ALLOW_LIST[name];
  const props = snippetProps(name).map(([prop, r]) => ` ${propTemplate(prop, r)}`).join("");
  const template = rule.children ? `<${name}${props}>\n\${Text}\n</${name}>` : `<${name}${props} />`;
  const names = Object.keys(rule.props);
  return { label: name, detail: names.length ? `props: ${names.join(", ")}` : "no props", template };
}

export const COMPONENT_SNIPPETS: Snippet[] = ALLOWED_COMPONENT_NAMES.map(componentSnippet);

export function isAllowedComponent(name: string): name is AllowedComponent {
  return Object.hasOwn(MDX_ALLOW_LIST, name);
}

/** The props of `name` not yet written in its open tag, as snippets; [] for a name outside the allow-list. */
export function propSnippets(name: string, written: readonly string[]): Snippet[] {
  if (!isAllowedComponent(name)) return [];
  return Object.entries(MDX_ALLOW_LIST[name].props as Record<string, PropRule>)
    .filter(([prop]) => !written.includes(prop))
    .map(([prop, rule]) => ({ label: prop, detail: describeRule(rule), template: propTemplate(prop, rule) }));
}

function describeRule(rule: PropRule): string {
  const need = rule.required ? "required" : "optional";
  switch (rule.kind) {
    case "enum":
      return `${need}: ${rule.values.join(", ")}`;
    case "string-list":
      return `${need}: a list of ${rule.values.join(", ")}`;
    case "https-url":
      return `${need}: an https:// address`;
    case "image-hash":
      return `${need}: an uploaded image's hash`;
    case "text":
      return `${need}: text, up to ${rule.max} characters`;
  }
}

/**
 * Where the cursor is, read from the text of its line before it: typing a
 * component's name after `<`, or a prop inside a component's open tag.
 * Null elsewhere (Markdown, a closing tag, inside a quoted value).
 */
export type TagContext = { kind: "component"; typed: string } | { kind: "prop"; component: string; written: string[]; typed: string } | null;

export function tagContext(before: string): TagContext {
  const name = /<([A-Z][A-Za-z]*)?$/.exec(before);
  if (name) return { kind: "component", typed: name[1] ?? "" };
  // An open tag: `<Name`, then complete props (quoted strings or {[...]}), then a space and the prop being typed.
  const open = /<([A-Z][A-Za-z]*)((?:\s+[A-Za-z]+=(?:"[^"]*"|\{\[[^\]]*\]\}))*)\s+([A-Za-z]*)$/.exec(before);
  if (!open) return null;
  const written = [...(open[2] ?? "").matchAll(/([A-Za-z]+)=/g)].map((m) => m[1]!);
  return { kind: "prop", component: open[1]!, written, typed: open[3] ?? "" };
}
