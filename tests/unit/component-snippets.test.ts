import { expect, test } from "vitest";
import { COMPONENT_SNIPPETS, propSnippets, tagContext } from "#app/components/studio/component-snippets.ts";
import { checkLessonSource } from "#app/content/mdx-safety.server.ts";

test("every documented component is offered, with its required props and content", () => {
  expect(COMPONENT_SNIPPETS.map((s) => [s.label, s.template])).toEqual([
    ["Callout", '<Callout type="${info}">\n${Text}\n</Callout>'],
    ["KeyPoint", "<KeyPoint>\n${Text}\n</KeyPoint>"],
    ["Scenario", "<Scenario>\n${Text}\n</Scenario>"],
    ["LawQuote", '<LawQuote source="${source}">\n${Text}\n</LawQuote>'],
    ["FourChecklist", "<FourChecklist />"],
    ["WhatToRecord", "<WhatToRecord>\n${Text}\n</WhatToRecord>"],
    ["Image", '<Image hash="${hash from the Images page}" alt="${alt}" />'],
  ]);
});

test("a snippet with its placeholders typed in is accepted by the checker (the Image needs a real hash)", () => {
  const filled = (template: string) => template.replace(/\$\{([^}]*)\}/g, "$1");
  const lesson = COMPONENT_SNIPPETS.filter((s) => s.label !== "Image")
    .map((s) => filled(s.template))
    .join("\n\n");
  expect(checkLessonSource(`Intro.\n\n${lesson}\n`)).toEqual([]);
});

test("inside an open tag, the props not yet written are offered, with what each accepts", () => {
  expect(propSnippets("Callout", ["type"])).toEqual([{ label: "title", detail: "optional: text, up to 120 characters", template: 'title="${title}"' }]);
  expect(propSnippets("FourChecklist", []).map((s) => s.template)).toEqual(['present={["${fixated}"]}']);
  expect(propSnippets("LawQuote", []).map((s) => s.detail)).toEqual(["required: text, up to 200 characters", "optional: an https:// address"]);
  expect(propSnippets("Bogus", [])).toEqual([]);
});

test("where the cursor is: a component name after <, a prop in an open tag, or neither", () => {
  expect(tagContext("Some text <")).toEqual({ kind: "component", typed: "" });
  expect(tagContext("<Cal")).toEqual({ kind: "component", typed: "Cal" });
  expect(tagContext('<Callout type="info" ')).toEqual({ kind: "prop", component: "Callout", written: ["type"], typed: "" });
  expect(tagContext('<FourChecklist present={["fixated"]} ti')).toEqual({ kind: "prop", component: "FourChecklist", written: ["present"], typed: "ti" });
  expect(tagContext('<Callout type="info">Text ')).toBeNull();
  expect(tagContext("</")).toBeNull();
  expect(tagContext('<Callout title="half typed ')).toBeNull();
  expect(tagContext("a < b")).toBeNull();
});
