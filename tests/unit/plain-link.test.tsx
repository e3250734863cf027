import { renderToString } from "react-dom/server";
import { expect, test } from "vitest";
import { isRouterClick, PlainLink } from "#app/components/ui/plain-link.tsx";

const ORIGIN = "https://distinct.example.org";
const click = (over: Partial<MouseEvent> = {}) => ({ defaultPrevented: false, button: 0, metaKey: false, altKey: false, ctrlKey: false, shiftKey: false, ...over }) as MouseEvent;
const anchor = (href: string, attributes: Record<string, string> = {}) =>
  ({ href, target: attributes.target ?? "", hasAttribute: (name: string) => name in attributes }) as unknown as HTMLAnchorElement;

test("a plain click on a link to this site is the router's; anything a browser does otherwise is left to the browser", () => {
  expect(isRouterClick(click(), anchor(`${ORIGIN}/modules/a/b`), ORIGIN)).toBe(true);
  expect(isRouterClick(click(), anchor(`${ORIGIN}/modules/a/b`, { target: "_self" }), ORIGIN)).toBe(true);
  for (const [why, event, link] of [
    ["another button", click({ button: 1 }), anchor(`${ORIGIN}/x`)],
    ["ctrl", click({ ctrlKey: true }), anchor(`${ORIGIN}/x`)],
    ["meta", click({ metaKey: true }), anchor(`${ORIGIN}/x`)],
    ["shift", click({ shiftKey: true }), anchor(`${ORIGIN}/x`)],
    ["alt", click({ altKey: true }), anchor(`${ORIGIN}/x`)],
    ["already handled", click({ defaultPrevented: true }), anchor(`${ORIGIN}/x`)],
    ["another tab", click(), anchor(`${ORIGIN}/x`, { target: "_blank" })],
    ["a download", click(), anchor(`${ORIGIN}/x`, { download: "" })],
    ["another site", click(), anchor("https://www.legislation.gov.uk/ukpga/1997/40")],
  ] as const) {
    expect(isRouterClick(event, link, ORIGIN), why).toBe(false);
  }
});

test("a plain link renders as the anchor alone, marked for the router and for Remix's route discovery", () => {
  const html = renderToString(
    <PlainLink to="/modules/recognising-stalking/four" rel="next" aria-current="page" className="x">
      Four
    </PlainLink>,
  );
  expect(html).toBe('<a rel="next" aria-current="page" class="x" href="/modules/recognising-stalking/four" data-discover="true" data-client-nav="">Four</a>');
});
