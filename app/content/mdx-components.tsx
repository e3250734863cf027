import type { ReactNode } from "react";
import { ALLOWED_COMPONENT_NAMES } from "#app/content/mdx-allow-list.ts";
import { FOUR_ELEMENTS, FOUR_LABELS, type FourElement } from "#app/utils/offences.ts";

/**
 * The components authors may use inside lesson MDX, without importing them.
 * Lessons are rendered to static HTML on the server (see
 * docs/decisions/004-content-versions.md), so these must not rely on state or
 * effects: they have to work with JavaScript off.
 */

type Children = { children?: ReactNode };

const calloutTitles = { info: "Note", warning: "Warning", important: "Important" } as const;

/** A boxed note. `type` sets the icon and the word read out before it. */
export function Callout({
  type = "info",
  title,
  children,
}: Children & { type?: keyof typeof calloutTitles; title?: string }) {
  const label = calloutTitles[type] ?? calloutTitles.info;
  return (
    <aside className={`mdx-callout mdx-callout--${type}`} aria-label={title ?? label}>
      <p className="mdx-callout__title">
        <span className="mdx-icon" aria-hidden="true">
          {type === "warning" ? "⚠" : type === "important" ? "!" : "i"}
        </span>
        <strong>{title ?? label}</strong>
      </p>
      <div className="mdx-callout__body">{children}</div>
    </aside>
  );
}

/** The one thing to remember from a section. */
export function KeyPoint({ title = "Key point", children }: Children & { title?: string }) {
  return (
    <aside className="mdx-keypoint" aria-label={title}>
      <p className="mdx-keypoint__title">
        <strong>{title}</strong>
      </p>
      <div>{children}</div>
    </aside>
  );
}

/** A worked case: what happened, set apart from the teaching around it. */
export function Scenario({ title = "Scenario", children }: Children & { title?: string }) {
  return (
    <figure className="mdx-scenario">
      <figcaption className="mdx-scenario__title">
        <span className="mdx-scenario__label">Scenario</span>
        {title !== "Scenario" ? <span>: {title}</span> : null}
      </figcaption>
      <div className="mdx-scenario__body">{children}</div>
    </figure>
  );
}

/**
 * The words of the law, with the section cited. `source` is required: a quote
 * without its section is not allowed in the curriculum.
 */
export function LawQuote({ source, href, children }: Children & { source: string; href?: string }) {
  return (
    <figure className="mdx-lawquote">
      <blockquote cite={href}>{children}</blockquote>
      <figcaption>
        {href ? (
          <a href={href} rel="noreferrer">
            {source}
          </a>
        ) : (
          source
        )}
      </figcaption>
    </figure>
  );
}

const fourHints: Record<FourElement, string> = {
  fixated: "The person's attention is fixed on the victim.",
  obsessive: "The behaviour is driven by an obsession the person will not let go of.",
  unwanted: "The victim does not want the contact or attention.",
  repeated: "It happens again and again: a pattern, not one incident.",
};

/**
 * FOUR: Fixated, Obsessive, Unwanted, Repeated. With `present`, marks which
 * elements a scenario shows, in words and with a symbol (never colour alone).
 */
export function FourChecklist({ present }: { present?: FourElement[] }) {
  const marking = Array.isArray(present);
  return (
    <section className="mdx-four" aria-label="FOUR checklist">
      <p className="mdx-four__title">
        <strong>FOUR</strong>: think stalking when behaviour is
      </p>
      <ul className="mdx-four__list">
        {FOUR_ELEMENTS.map((element) => {
          const isPresent = marking && present?.includes(element);
          return (
            <li key={element} className={marking ? (isPresent ? "is-present" : "is-absent") : undefined}>
              {marking ? (
                <span className="mdx-four__mark" aria-hidden="true">
                  {isPresent ? "✓" : "✗"}
                </span>
              ) : null}
              <strong>{FOUR_LABELS[element]}</strong>
              {marking ? <span className="visually-hidden">{isPresent ? " (present)" : " (not present)"}</span> : null}
              <span className="mdx-four__hint">: {fourHints[element]}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** What an officer or call handler should put on the record. */
export function WhatToRecord({ title = "What to record", children }: Children & { title?: string }) {
  return (
    <aside className="mdx-record" aria-label={title}>
      <p className="mdx-record__title">
        <span className="mdx-icon" aria-hidden="true">
          ✎
        </span>
        <strong>{title}</strong>
      </p>
      <div>{children}</div>
    </aside>
  );
}

/**
 * An image uploaded in the studio, by its content hash. The address never
 * changes for the same bytes, so it is cached for a year. `alt=""` marks a
 * decorative image (screen readers skip it); the safety check requires `alt`.
 */
export function Image({ hash, alt, caption }: { hash: string; alt: string; caption?: string }) {
  const img = <img className="mdx-image__img" src={`/images/${hash}`} alt={alt} loading="lazy" decoding="async" />;
  if (!caption) return <p className="mdx-image">{img}</p>;
  return (
    <figure className="mdx-image">
      {img}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** Headings in lessons start at level 2: the page's h1 is the lesson title. */
function H1({ children }: Children) {
  return <h2>{children}</h2>;
}

/** External links open normally but say where they go; internal ones stay plain. */
function Anchor({ href, children }: Children & { href?: string }) {
  const external = href ? /^https?:\/\//.test(href) : false;
  return (
    <a href={href} rel={external ? "noreferrer" : undefined}>
      {children}
    </a>
  );
}

/** Tables scroll sideways on a phone instead of breaking the page at 320 px. */
function Table({ children }: Children) {
  return (
    <div className="table-scroll" role="region" aria-label="Table" tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

export const mdxComponents = {
  Callout,
  KeyPoint,
  Scenario,
  LawQuote,
  FourChecklist,
  WhatToRecord,
  Image,
  h1: H1,
  a: Anchor,
  table: Table,
};

/** Names authors can use; the props each takes are in app/content/mdx-allow-list.ts, which refuses anything else. */
export const MDX_COMPONENT_NAMES = ALLOWED_COMPONENT_NAMES;
