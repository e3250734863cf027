import { FOUR_ELEMENTS } from "#app/utils/offences.ts";

/**
 * What lesson MDX may contain besides Markdown: the documented components
 * (content/README.md) and, for each, the props it takes and the literal
 * values each prop accepts. Anything else is refused by mdx-safety.server.ts
 * before mdx-bundler sees the source (docs/decisions/030). Pure data, so the
 * studio's editor can offer the same list as snippets.
 */
export type PropRule =
  /** A quoted string, up to `max` characters. */
  | { kind: "text"; max: number; required?: boolean; allowEmpty?: boolean }
  /** A quoted string from a fixed list. */
  | { kind: "enum"; values: readonly string[]; required?: boolean }
  /** A quoted https:// address. */
  | { kind: "https-url"; required?: boolean }
  /** A quoted hex SHA-256 of an uploaded image (64 characters). */
  | { kind: "image-hash"; required?: boolean }
  /** The one non-string literal: an array of quoted strings from a list, `{["a", "b"]}`. */
  | { kind: "string-list"; values: readonly string[]; required?: boolean };

export type ComponentRule = {
  props: Record<string, PropRule>;
  /** False for components that take no content (`<FourChecklist />`). */
  children: boolean;
};

const title: PropRule = { kind: "text", max: 120 };

export const MDX_ALLOW_LIST = {
  Callout: { props: { type: { kind: "enum", values: ["info", "warning", "important"] }, title }, children: true },
  KeyPoint: { props: { title }, children: true },
  Scenario: { props: { title }, children: true },
  LawQuote: { props: { source: { kind: "text", max: 200, required: true }, href: { kind: "https-url" } }, children: true },
  FourChecklist: { props: { present: { kind: "string-list", values: FOUR_ELEMENTS } }, children: false },
  WhatToRecord: { props: { title }, children: true },
  /** An image uploaded in the studio, by its content hash (`/studio/images` shows the snippet). */
  Image: {
    props: {
      hash: { kind: "image-hash", required: true },
      // Required, and empty ("") only for a purely decorative image.
      alt: { kind: "text", max: 300, required: true, allowEmpty: true },
      caption: { kind: "text", max: 300 },
    },
    children: false,
  },
} as const satisfies Record<string, ComponentRule>;

export type AllowedComponent = keyof typeof MDX_ALLOW_LIST;

export const ALLOWED_COMPONENT_NAMES = Object.keys(MDX_ALLOW_LIST) as AllowedComponent[];

/** How deeply components may nest inside each other (a Callout in a Scenario is 2). */
export const MAX_COMPONENT_DEPTH = 4;
/** How deeply any syntax may nest (lists in quotes in lists ...): beyond it, nobody is writing a lesson. */
export const MAX_TREE_DEPTH = 24;
/** A lesson longer than this is refused before it is parsed (the longest shipped lesson is under 6,000). */
export const MAX_SOURCE_CHARS = 60_000;

export const IMAGE_HASH_PATTERN = /^[a-f0-9]{64}$/;
