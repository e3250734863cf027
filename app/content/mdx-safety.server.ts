import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkMdx from "remark-mdx";
import remarkGfm from "remark-gfm";
import {
  ALLOWED_COMPONENT_NAMES,
  IMAGE_HASH_PATTERN,
  MAX_COMPONENT_DEPTH,
  MAX_SOURCE_CHARS,
  MAX_TREE_DEPTH,
  MDX_ALLOW_LIST,
  type PropRule,
} from "./mdx-allow-list.ts";

/**
 * Lesson MDX is data, not code (docs/decisions/030). MDX compiles to a
 * JavaScript module that runs on the server, and authors are not developers:
 * so before mdx-bundler sees a lesson, its syntax tree is walked here and
 * anything that would be code is refused: ESM import/export, `{...}`
 * expressions (comments included), attribute expressions and spreads,
 * HTML elements, components or props outside the allow-list
 * (mdx-allow-list.ts), non-literal values, and link or image addresses with a
 * scheme that runs script. An allow-list, not a block-list: whatever this
 * file does not know is refused.
 *
 * Used by `npm run content:check`, by the importer, by compileMdx itself
 * (which refuses to compile a lesson with a problem) and by the studio's
 * problem list.
 */

/** One refusal, at the 1-based line and column where the offending syntax starts. */
export type MdxProblem = { line: number; column: number; message: string };

/** What this file reads of an mdast/MDX node: kept structural so mdast type versions do not matter. */
type Point = { line: number; column: number };
type AstNode = {
  type: string;
  position?: { start: Point };
  children?: AstNode[];
  name?: string | null;
  url?: string;
  value?: unknown;
  attributes?: AstAttribute[];
};
type AstAttribute = {
  type: string;
  name?: string;
  value?: unknown;
  position?: { start: Point };
};

/** The block quote and list markers at the start of a line. */
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])))+/;
const CONTAINER_MARKER = />|[*+-]|\d{1,9}[.)]/g;

const URL_SCHEMES_LINK = new Set(["http", "https", "mailto", "tel"]);

/** The scheme of an address as a browser would read it: control characters and whitespace are ignored. */
function schemeOf(url: string): string | null {
  // Browsers drop tabs and newlines anywhere and leading C0 controls and spaces: "java\tscript:" runs.
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  return match?.[1] ?? null;
}

/** Only line and column: positions also carry an offset the problem list does not use. */
const pointOf = (point: Point | undefined): Point => ({ line: point?.line ?? 1, column: point?.column ?? 1 });

function describe(value: string, max = 40): string {
  const flat = value.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Parses MDX the way compileMdx does (remark-mdx with GFM), without compiling anything. */
function parse(source: string): AstNode {
  const tree: unknown = unified().use(remarkParse).use(remarkMdx).use(remarkGfm).parse(source);
  if (!isNode(tree)) throw new Error("MDX parser returned no tree");
  return tree;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && "type" in value && typeof value.type === "string";
}

/** A parse error from micromark carries its place; anything else is put at 1:1. */
function placeOf(error: unknown): Point {
  if (error && typeof error === "object") {
    const line = "line" in error && typeof error.line === "number" ? error.line : null;
    const column = "column" in error && typeof error.column === "number" ? error.column : null;
    if (line !== null) return { line, column: column ?? 1 };
  }
  return { line: 1, column: 1 };
}

function checkValue(component: string, prop: string, rule: PropRule, attribute: AstAttribute, at: Point, problems: MdxProblem[]) {
  const value = attribute.value;
  const say = (message: string) => problems.push({ ...at, message: `<${component}> ${prop}: ${message}` });
  if (rule.kind === "string-list") {
    const list = literalStringList(value);
    if (list === null) {
      say(`must be a list of quoted words, like ${prop}={["${rule.values[0]}", "${rule.values[1] ?? rule.values[0]}"]}`);
      return;
    }
    for (const item of list) {
      if (!rule.values.includes(item)) say(`"${describe(item)}" is not one of ${rule.values.join(", ")}`);
    }
    return;
  }
  if (typeof value !== "string") {
    say(value === null || value === undefined ? `needs a value in quotes: ${prop}="..."` : `must be plain text in quotes (${prop}="..."), not code in { }`);
    return;
  }
  switch (rule.kind) {
    case "text":
      if (value.trim() === "" && !rule.allowEmpty) say("must not be empty");
      else if (value.length > rule.max) say(`is ${value.length} characters long: at most ${rule.max}`);
      break;
    case "enum":
      if (!rule.values.includes(value)) say(`"${describe(value)}" is not one of ${rule.values.join(", ")}`);
      break;
    case "https-url":
      if (!/^https:\/\/[^\s"'<>]+$/.test(value) || schemeOf(value) !== "https") say(`"${describe(value)}" must be a full https:// address`);
      break;
    case "image-hash":
      if (!IMAGE_HASH_PATTERN.test(value)) say(`"${describe(value)}" is not an image reference: copy the snippet from the Images page of the studio`);
      break;
  }
}

/**
 * `{["a", "b"]}`: an array expression whose elements are all string literals.
 * remark-mdx leaves the parsed program in `data.estree`: one expression statement.
 */
function literalStringList(value: unknown): string[] | null {
  if (!value || typeof value !== "object" || !("type" in value) || value.type !== "mdxJsxAttributeValueExpression") return null;
  const estree = "data" in value && value.data && typeof value.data === "object" && "estree" in value.data ? value.data.estree : null;
  if (!estree || typeof estree !== "object" || !("body" in estree) || !Array.isArray(estree.body) || estree.body.length !== 1) return null;
  // Comments inside the braces are refused too: nothing but the list itself.
  if ("comments" in estree && Array.isArray(estree.comments) && estree.comments.length > 0) return null;
  const statement: unknown = estree.body[0];
  if (!statement || typeof statement !== "object" || !("type" in statement) || statement.type !== "ExpressionStatement") return null;
  const expression = "expression" in statement ? statement.expression : null;
  if (!expression || typeof expression !== "object" || !("type" in expression) || expression.type !== "ArrayExpression") return null;
  if (!("elements" in expression) || !Array.isArray(expression.elements)) return null;
  const out: string[] = [];
  for (const element of expression.elements as unknown[]) {
    if (!element || typeof element !== "object" || !("type" in element) || element.type !== "Literal") return null;
    if (!("value" in element) || typeof element.value !== "string") return null;
    out.push(element.value);
  }
  return out;
}

function checkComponent(node: AstNode, at: Point, problems: MdxProblem[]) {
  const name = node.name;
  if (name === null || name === undefined || name === "") {
    problems.push({ ...at, message: "fragments (<>...</>) are not allowed: write the content without them" });
    return;
  }
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    const html = /^[a-z][a-z0-9-]*$/.test(name);
    problems.push({
      ...at,
      message: html
        ? `HTML elements such as <${name}> are not allowed in lessons: use Markdown, or one of the components ${ALLOWED_COMPONENT_NAMES.join(", ")}`
        : `<${describe(name)}> is not allowed: use one of the components ${ALLOWED_COMPONENT_NAMES.join(", ")}`,
    });
    return;
  }
  const rule = Object.hasOwn(MDX_ALLOW_LIST, name) ? MDX_ALLOW_LIST[name as keyof typeof MDX_ALLOW_LIST] : null;
  if (!rule) {
    problems.push({ ...at, message: `unknown component <${name}>: use one of ${ALLOWED_COMPONENT_NAMES.join(", ")}` });
    return;
  }
  const props: Record<string, PropRule> = rule.props;
  const seen = new Set<string>();
  for (const attribute of node.attributes ?? []) {
    const where = attribute.position ? pointOf(attribute.position.start) : at;
    if (attribute.type === "mdxJsxExpressionAttribute") {
      problems.push({ ...where, message: `<${name}>: spread attributes ({...}) are code and are not allowed` });
      continue;
    }
    const prop = attribute.name ?? "";
    if (!Object.hasOwn(props, prop)) {
      const known = Object.keys(props);
      const handler = /^on/i.test(prop) ? " (event handlers are code)" : "";
      problems.push({
        ...where,
        message: `<${name}> has no prop "${describe(prop)}"${handler}: ${known.length ? `it takes ${known.join(", ")}` : "it takes none"}`,
      });
      continue;
    }
    if (seen.has(prop)) problems.push({ ...where, message: `<${name}> ${prop}: given twice` });
    seen.add(prop);
    const propRule = props[prop];
    if (propRule) checkValue(name, prop, propRule, attribute, where, problems);
  }
  for (const [prop, propRule] of Object.entries(props)) {
    if (propRule.required && !seen.has(prop)) problems.push({ ...at, message: `<${name}> needs ${prop}="..."` });
  }
  if (!rule.children && (node.children?.length ?? 0) > 0) {
    problems.push({ ...at, message: `<${name}> takes no content: write it as <${name} ... />` });
  }
}

function checkUrl(node: AstNode, at: Point, problems: MdxProblem[]) {
  const url = node.url ?? "";
  const scheme = schemeOf(url);
  const what = node.type === "image" || node.type === "imageReference" ? "image" : "link";
  if (scheme === null) return;
  if (what === "image" ? scheme !== "https" && scheme !== "http" : !URL_SCHEMES_LINK.has(scheme)) {
    problems.push({
      ...at,
      message: `${what} address "${describe(url)}" uses "${scheme}:", which is not allowed: ${what === "image" ? "use an image next to the lesson or an uploaded <Image>" : "use https://, mailto: or a site path starting with /"}`,
    });
  }
}

/**
 * Every reason `source` (a lesson or overview body, MDX without frontmatter,
 * or with a leading YAML `---` block) may not be compiled. Empty: safe to
 * hand to mdx-bundler.
 */
export function checkLessonSource(source: string): MdxProblem[] {
  if (source.length > MAX_SOURCE_CHARS) {
    return [{ line: 1, column: 1, message: `the lesson is ${source.length} characters long: at most ${MAX_SOURCE_CHARS}` }];
  }
  // gray-matter (inside mdx-bundler) runs "---js" frontmatter through eval: only YAML frontmatter exists here.
  const fence = /^\uFEFF?[ \t]*---[ \t]*([^\s-][^\n]*)?\r?\n/.exec(source);
  if (fence?.[1]) {
    return [{ line: 1, column: 1, message: `frontmatter must be YAML ("---" alone on the first line), not "---${describe(fence[1])}"` }];
  }
  // The parser takes time quadratic in list/quote nesting ("- - - - ... x" x 5000 took 30 s):
  // a line that opens more containers than a lesson may nest is refused before it is parsed.
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const opened = CONTAINER_PREFIX.exec(lines[i] ?? "")?.[0] ?? "";
    if ((opened.match(CONTAINER_MARKER) ?? []).length > MAX_TREE_DEPTH) {
      return [{ line: i + 1, column: 1, message: `nested more than ${MAX_TREE_DEPTH} levels deep: simplify the structure` }];
    }
  }
  let tree: AstNode;
  try {
    tree = parse(source);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    // A stack overflow on absurd nesting is a refusal, never a crash.
    const message = error instanceof RangeError ? "the lesson is nested too deeply to read" : `the MDX cannot be read: ${reason}`;
    return [{ ...placeOf(error), message }];
  }
  const problems: MdxProblem[] = [];
  // Iterative walk: a hostile lesson cannot overflow the stack here.
  const stack: { node: AstNode; depth: number; components: number }[] = [{ node: tree, depth: 0, components: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const { node, depth } = item;
    let { components } = item;
    const at = pointOf(node.position?.start);
    if (depth > MAX_TREE_DEPTH) {
      problems.push({ ...at, message: `nested more than ${MAX_TREE_DEPTH} levels deep: simplify the structure` });
      continue;
    }
    switch (node.type) {
      case "mdxjsEsm":
        problems.push({ ...at, message: "import and export are code and are not allowed: the components are available without importing" });
        continue;
      case "mdxFlowExpression":
      case "mdxTextExpression": {
        const body = typeof node.value === "string" ? node.value.trim() : "";
        const comment = /^\/\*[\s\S]*\*\/$/.test(body) || body.startsWith("//");
        problems.push({
          ...at,
          message: comment
            ? "comments in { } are code and are not allowed: delete the comment"
            : `{${describe(body, 30)}} is code and is not allowed: curly braces cannot be used in lesson text`,
        });
        continue;
      }
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement": {
        components++;
        const before = problems.length;
        checkComponent(node, at, problems);
        if (components > MAX_COMPONENT_DEPTH) {
          problems.push({ ...at, message: `components nested more than ${MAX_COMPONENT_DEPTH} deep: simplify the structure` });
          continue;
        }
        // A refused element's content is still checked, except of HTML elements (the element is the problem).
        if (problems.length > before && !/^[A-Z]/.test(node.name ?? "")) continue;
        break;
      }
      case "link":
      case "image":
      case "definition":
        checkUrl(node, at, problems);
        break;
      case "html":
        problems.push({ ...at, message: "raw HTML is not allowed in lessons" });
        continue;
    }
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, depth: depth + 1, components });
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Thrown by compileMdx when handed a lesson that checkLessonSource refuses. */
export class UnsafeMdxError extends Error {
  constructor(readonly problems: MdxProblem[]) {
    const first = problems[0];
    super(first ? `${first.line}:${first.column}: ${first.message}` : "unsafe MDX");
    this.name = "UnsafeMdxError";
  }
}
