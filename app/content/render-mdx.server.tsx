import crypto from "node:crypto";
import { getMDXComponent } from "mdx-bundler/client/index.js";
import { renderToStaticMarkup } from "react-dom/server";
import { mdxComponents } from "#app/content/mdx-components.tsx";

/**
 * Lessons are compiled once per source (at import) and rendered to HTML once
 * per compiled code per process, here. The browser gets HTML, not code: no
 * eval in the page (so the CSP needs no 'unsafe-eval'), no MDX runtime in the
 * bundle, and lessons read the same with JavaScript off.
 */
const cache = new Map<string, string>();
const MAX_ENTRIES = 500;

export const renderStats = { renders: 0 };

export function renderMdxToHtml(code: string): string {
  const key = crypto.createHash("sha1").update(code).digest("base64");
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  renderStats.renders++;
  const Component = getMDXComponent(code);
  const html = renderToStaticMarkup(<Component components={mdxComponents} />);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, html);
  return html;
}
