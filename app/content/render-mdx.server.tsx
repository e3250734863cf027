import { getMDXComponent } from "mdx-bundler/client/index.js";
import { renderToStaticMarkup } from "react-dom/server";
import { mdxComponents } from "#app/content/mdx-components.tsx";

/**
 * Lessons are compiled once per source (at import) and rendered to HTML once
 * per compiled code per process, here. The browser gets HTML, not code: no
 * eval in the page (so the CSP needs no 'unsafe-eval'), no MDX runtime in the
 * bundle, and lessons read the same with JavaScript off.
 *
 * The cache is keyed by the code itself. A lesson's code comes from the
 * version cache, the same string on every request; a string keeps its hash
 * once computed, and is equal to itself at once, so finding it again is
 * cheap. (The key before was a SHA-1 of the code: the whole bundle hashed
 * on every lesson page.) Equal code read afresh is found too, at the cost of
 * hashing and comparing it once.
 * Bounded by entries and by the code's total length, oldest first out.
 */
const cache = new Map<string, string>();
const MAX_ENTRIES = 500;
export const MAX_CACHED_CODE_CHARS = 16_000_000;
let cachedChars = 0;

export const renderStats = { renders: 0 };

export function renderMdxToHtml(code: string): string {
  const hit = cache.get(code);
  if (hit !== undefined) return hit;
  renderStats.renders++;
  const Component = getMDXComponent(code);
  const html = renderToStaticMarkup(<Component components={mdxComponents} />);
  if (code.length > MAX_CACHED_CODE_CHARS) return html;
  for (const oldest of cache.keys()) {
    if (cache.size < MAX_ENTRIES && cachedChars + code.length <= MAX_CACHED_CODE_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  cache.set(code, html);
  cachedChars += code.length;
  return html;
}
