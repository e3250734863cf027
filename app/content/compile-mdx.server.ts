import fs from "node:fs";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import remarkGfm from "remark-gfm";
import rehypeSlug from "rehype-slug";
import type { Root } from "mdast";
// Adds the MDX node types (JSX elements, ESM) to mdast's.
import type {} from "mdast-util-mdx";
import { visit } from "unist-util-visit";
import { MDX_COMPONENT_NAMES } from "#app/content/mdx-components.tsx";

/** A link, image or component found while compiling, for the content checks. */
export type MdxFinding =
  | { kind: "link"; url: string; line: number }
  | { kind: "problem"; message: string; line: number };

export type CompiledMdx = { code: string; findings: MdxFinding[] };

/** Counts real compiles in this process: the benchmark checks it stays at 0 per request. */
export const mdxStats = { compiles: 0 };

const IMAGE_TYPES: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
};

/**
 * A remark plugin that records links, checks images (alt text, file exists)
 * and inlines local images as data URLs, and rejects components authors may
 * not use.
 */
function remarkContentChecks(dir: string, findings: MdxFinding[]) {
  const allowed = new Set<string>(MDX_COMPONENT_NAMES);
  return () => (tree: Root) => {
    visit(tree, (node) => {
      const line = node.position?.start.line ?? 1;
      if (node.type === "link") {
        findings.push({ kind: "link", url: node.url, line });
      } else if (node.type === "image") {
        if (!node.alt || node.alt.trim() === "") {
          findings.push({ kind: "problem", line, message: `image "${node.url}" has no alt text: describe it in ![...](...)` });
        }
        if (/^(https?:)?\/\//.test(node.url)) {
          findings.push({ kind: "problem", line, message: `image "${node.url}" is remote: put the file next to the lesson` });
          return;
        }
        const file = path.resolve(dir, node.url);
        const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
        if (!type) {
          findings.push({ kind: "problem", line, message: `image "${node.url}" must be .svg, .png, .jpg or .webp` });
        } else if (!file.startsWith(dir) || !fs.existsSync(file)) {
          findings.push({ kind: "problem", line, message: `image "${node.url}" not found next to the lesson` });
        } else {
          node.url = `data:${type};base64,${fs.readFileSync(file).toString("base64")}`;
        }
      } else if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
        const name = node.name ?? "";
        if (/^[A-Z]/.test(name) && !allowed.has(name)) {
          findings.push({
            kind: "problem",
            line,
            message: `unknown component <${name}>: use one of ${MDX_COMPONENT_NAMES.join(", ")}`,
          });
        }
        if (name === "img") {
          const alt = node.attributes.find((a) => a.type === "mdxJsxAttribute" && a.name === "alt");
          if (!alt || (typeof alt.value === "string" && alt.value.trim() === "")) {
            findings.push({ kind: "problem", line, message: "<img> has no alt text" });
          }
        }
      } else if (node.type === "mdxjsEsm" && node.position) {
        // Generated nodes (the frontmatter export) have no position; authors' do.
        findings.push({ kind: "problem", line, message: "import/export is not allowed in lessons: components are available without importing" });
      }
    });
  };
}

// esbuild is memory-hungry: compile one file at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Compiles one MDX body with mdx-bundler. Called at import time (once per
 * changed source) and by `npm run content:check`, never per request.
 * `body` keeps the file's line numbers (frontmatter blanked out).
 */
export function compileMdx(body: string, file: string): Promise<CompiledMdx> {
  const run = async (): Promise<CompiledMdx> => {
    const findings: MdxFinding[] = [];
    const dir = path.dirname(path.resolve(file));
    mdxStats.compiles++;
    const result = await bundleMDX({
      source: body,
      cwd: dir,
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, remarkContentChecks(dir, findings)];
        options.rehypePlugins = [...(options.rehypePlugins ?? []), rehypeSlug];
        return options;
      },
      esbuildOptions(options) {
        options.minify = true;
        options.logLevel = "silent";
        options.target = "es2020";
        return options;
      },
    });
    return { code: result.code, findings };
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}

/** Turns an mdx-bundler/esbuild failure into `line: message` parts. */
export function describeCompileError(error: unknown): { line: number; message: string } {
  if (error && typeof error === "object" && "errors" in error && Array.isArray(error.errors) && error.errors.length > 0) {
    const first: unknown = error.errors[0];
    if (first && typeof first === "object") {
      const text = "text" in first && typeof first.text === "string" ? first.text : "MDX could not be compiled";
      const location = "location" in first && first.location && typeof first.location === "object" ? first.location : null;
      const line = location && "line" in location && typeof location.line === "number" ? location.line : 1;
      // @mdx-js/esbuild puts "line:column: message" on a later line of the text,
      // sometimes with the real place in brackets: "(11:1-11:10)".
      const inner = /^\s*(\d+):(\d+)(?:-\d+:\d+)?: (.+)$/m.exec(text);
      if (inner?.[1] && inner[3]) {
        const bracketed = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(inner[3]);
        return { line: Number(bracketed?.[1] ?? inner[1]), message: inner[3].trim() };
      }
      return { line: Math.max(1, line), message: text.split("\n")[0] ?? text };
    }
  }
  return { line: 1, message: error instanceof Error ? error.message.split("\n")[0] ?? "MDX error" : String(error) };
}
