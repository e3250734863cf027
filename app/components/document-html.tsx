import { createContext, useContext, useState } from "react";

/**
 * HTML the server kept out of the loader data (app/utils/document-html.server.ts),
 * by name: set while the server renders a page, absent in the browser.
 */
const DocumentHtmlContext = createContext<ReadonlyMap<string, string> | undefined>(undefined);
export const DocumentHtmlProvider = DocumentHtmlContext.Provider;

/**
 * An element holding server-rendered HTML. `html` is the loader data's copy:
 * null when the page came whole from the server, where the render takes it
 * from the request instead and the browser, hydrating, keeps what the server
 * sent (read once from the element itself, so hydration sees the same HTML).
 * A client-side navigation brings the HTML in the loader data.
 */
export function DocumentHtml({ name, html, id, className }: { name: string; html: string | null; id: string; className?: string }) {
  const fromServer = useContext(DocumentHtmlContext)?.get(name);
  const [sentWithPage] = useState(() => (html === null && typeof document !== "undefined" ? (document.getElementById(id)?.innerHTML ?? "") : ""));
  return <article id={id} className={className} dangerouslySetInnerHTML={{ __html: html ?? fromServer ?? sentWithPage }} />;
}
