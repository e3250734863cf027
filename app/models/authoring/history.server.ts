import { z } from "zod";
import { compareSides, versionSide, type Comparison } from "./compare.server.ts";
import { getStudioModule, listVersions } from "./drafts.server.ts";

const CompareQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

/** Every version of a module with who wrote, reviewed and published it and why; optionally a comparison of two. */
export async function historyPage(slug: string, query: URLSearchParams) {
  const mod = await getStudioModule(slug);
  if (!mod) return null;
  const rows = await listVersions(slug);
  const versions = rows.map(({ sourceHash: _hash, ...v }) => ({ ...v, exportable: true }));
  let compare: { from: number; to: number; result: Comparison | null } | null = null;
  const wanted = CompareQuery.safeParse({ from: query.get("from") ?? undefined, to: query.get("to") ?? undefined });
  if (wanted.success) {
    const from = rows.find((v) => v.version === wanted.data.from);
    const to = rows.find((v) => v.version === wanted.data.to);
    if (from && to) {
      const [a, b] = await Promise.all([versionSide(from.id, slug), versionSide(to.id, slug)]);
      compare = { from: from.version, to: to.version, result: a && b ? compareSides(a, b) : null };
    }
  }
  const published = z.coerce.number().int().min(1).safeParse(query.get("published") ?? undefined);
  return { slug, title: mod.title, versions, compare, hasOpenDraft: mod.draft !== null, published: published.success ? published.data : null };
}
