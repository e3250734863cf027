import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { ConfusionMatrixReport } from "#app/components/confusion-matrix.tsx";
import { Button } from "#app/components/ui/button.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { completionByOrganisation, confusionMatrix, insightModules, questionInsight } from "#app/models/reporting/confusion.server.ts";
import { percent, SUPPRESSION_THRESHOLD } from "#app/utils/confusion.ts";
import { formatDate, plural } from "#app/utils/format.ts";
import { parseInsightQuery, startOfLondonDay } from "#app/utils/insight-query.ts";
import { invariantResponse } from "#app/utils/invariant.ts";
import { OFFENCE_LABELS } from "#app/utils/offences.ts";
import { requirePlatformRole } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";
import { SummaryRow } from "#app/components/ui/summary-list.tsx";

// Trust staff: platform admins and authors. Authors see aggregates only: no
// organisation's name or figures leave the server for them.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePlatformRole(request, "author");
  const isAdmin = user.role === "admin";
  const modules = await insightModules();
  const parsed = parseInsightQuery(new URL(request.url).searchParams, modules.map((m) => m.slug));
  invariantResponse(parsed.ok, parsed.ok ? "" : parsed.message, { status: 400 });
  const { query } = parsed;
  const options = {
    moduleId: modules.find((m) => m.slug === query.module)?.id,
    from: query.since ? startOfLondonDay(query.since) : undefined,
  };
  const [matrix, questions, completion] = await Promise.all([confusionMatrix({ all: true }, options), questionInsight(options), completionByOrganisation()]);
  return {
    isAdmin,
    modules: modules.map(({ slug, title }) => ({ slug, title })),
    query,
    matrix,
    questions,
    completion: { totals: completion.totals, modules: completion.modules, organisations: isAdmin ? completion.organisations : null },
  };
}

export const meta: MetaFunction = () => [{ title: "Insight – Administration – Distinct" }];

const share = (done: number, of: number) => (of > 0 ? percent(done / of) : "–");

type InsightData = ReturnType<typeof useLoaderData<typeof loader>>;

/**
 * Three sections, each its own component below: which offences are confused
 * (the matrix), which scenarios are most often misclassified, and completion
 * across organisations. The filter narrows the first two.
 */
export default function AdminInsightPage() {
  const { isAdmin, modules, query, matrix, questions, completion } = useLoaderData<typeof loader>();
  const moduleTitle = modules.find((m) => m.slug === query.module)?.title;
  const scope = [moduleTitle ? `“${moduleTitle}”` : "all modules", query.since ? `answers since ${formatDate(query.since)}` : "all answers"].join(", ");
  return (
    <>
      <h1>Insight</h1>
      <p className="lead">
        Which offences learners confuse, which scenarios are most often misclassified, and how far training has got across every organisation.
        {isAdmin ? "" : " As an author you see figures for the whole platform only, never an organisation’s."}
      </p>
      <InsightFilter modules={modules} query={query} />
      <ConfusionSection matrix={matrix} scope={scope} />
      <MisclassifiedSection questions={questions} scope={scope} filtered={Boolean(query.module || query.since)} />
      <CompletionSection completion={completion} />
    </>
  );
}

function InsightFilter({ modules, query }: Pick<InsightData, "modules" | "query">) {
  const location = useLocation();
  // Keyed by the address, so the fields show the filter of the page shown (after "Clear the filter" too).
  return (
    <Form method="get" className="filters" aria-label="Filter the answers" key={location.search}>
      <SelectField
        id="insight-module"
        name="module"
        label="Module"
        defaultValue={query.module ?? ""}
        options={[{ value: "", label: "All modules" }, ...modules.map((m) => ({ value: m.slug, label: m.title }))]}
      />
      <TextField id="insight-since" name="since" type="date" label="Answers since" hint="For example, 2025-01-31" defaultValue={query.since ?? ""} />
      <Button variant="secondary">Apply filter</Button>
      {query.module || query.since ? (
        <p>
          <Link to="/admin/insight">Clear the filter</Link>
        </p>
      ) : null}
    </Form>
  );
}

function ConfusionSection({ matrix, scope }: { matrix: InsightData["matrix"]; scope: string }) {
  return (
    <section className="insight-section" aria-labelledby="confusion-heading">
      <h2 id="confusion-heading">Which offences are confused</h2>
      <p>
        Every answer to a scenario question on the platform ({scope}), including learners who are not in an organisation.
      </p>
      <ConfusionMatrixReport matrix={matrix} caption={`Answers given, by right answer: ${scope}`} id="platform-confusion" headingLevel={3} />
    </section>
  );
}

function MisclassifiedSection({ questions, scope, filtered }: { questions: InsightData["questions"]; scope: string; filtered: boolean }) {
  const shown = questions.filter((q) => !q.suppressed);
  const hidden = questions.length - shown.length;
  return (
    <section className="insight-section" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Scenarios most often misclassified</h2>
      <p>
        Each scenario question, worst first: the share of answers that chose the wrong offence ({scope}). Scenarios with fewer than {SUPPRESSION_THRESHOLD}{" "}
        answers have no figures.
      </p>
      {questions.length === 0 ? (
        <p>No scenario questions have been answered{filtered ? " for this filter" : ""} yet.</p>
      ) : (
        <DataTable
          caption={
            <>
              {plural(shown.length, "scenario")} with figures
              {hidden > 0 ? `, ${plural(hidden, "scenario")} with fewer than ${SUPPRESSION_THRESHOLD} answers` : ""}
            </>
          }
          captionId="questions-caption"
          scrollRegion={{ "aria-labelledby": "questions-caption" }}
          columns={["Scenario", "Right answer", { label: "Answers", numeric: true }, { label: "Misclassified", numeric: true }, "Commonest wrong answer"]}
        >
          {questions.map((q) => (
            <tr key={`${q.moduleId}-${q.questionId}`}>
              <th scope="row">
                <span className="caption">
                  {q.moduleTitle} · {q.questionId}
                </span>
                <span className="insight-scenario">{q.excerpt}</span>
              </th>
              <td>{q.expected ? OFFENCE_LABELS[q.expected].short : "–"}</td>
              {q.suppressed ? (
                <>
                  <td className="numeric">
                    <span className="confusion__suppressed">fewer than {SUPPRESSION_THRESHOLD}</span>
                  </td>
                  <td colSpan={2}>
                    <span className="confusion__suppressed">Not shown: too few answers</span>
                  </td>
                </>
              ) : (
                <>
                  <td className="numeric">{(q.answers ?? 0).toLocaleString("en-GB")}</td>
                  <td className="numeric">{percent(q.shareMisclassified ?? 0)}</td>
                  <td>{q.commonestWrong ? `${OFFENCE_LABELS[q.commonestWrong.chosen].short} (${percent(q.commonestWrong.share)})` : "None"}</td>
                </>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function CompletionSection({ completion }: { completion: InsightData["completion"] }) {
  return (
    <section className="insight-section" aria-labelledby="completion-heading">
      <h2 id="completion-heading">Completion across organisations</h2>
      <p>
        Assigned modules completed, counting each person once per module, without people who have left. A module counts as completed while its
        certificate is not revoked. These figures are for all time and every module, whatever the filter above.
      </p>
      <dl className="summary-list">
        <SummaryRow label="Organisations with assigned training">{completion.totals.organisations.toLocaleString("en-GB")}</SummaryRow>
        <SummaryRow label="People with assigned training">{completion.totals.people.toLocaleString("en-GB")}</SummaryRow>
        <SummaryRow label="Assigned modules completed">
          {completion.totals.completed.toLocaleString("en-GB")} of {completion.totals.assigned.toLocaleString("en-GB")} (
          {share(completion.totals.completed, completion.totals.assigned)})
        </SummaryRow>
      </dl>

      {completion.modules.length > 0 ? (
        <CompletionTable
          caption="Completion by module, all organisations"
          first="Module"
          count={{ label: "Organisations", of: (m) => m.organisations }}
          rows={completion.modules.map((m) => ({ key: m.moduleId, name: m.title, ...m }))}
        />
      ) : (
        <p>No organisation has assigned a module yet.</p>
      )}

      {completion.organisations && completion.organisations.length > 0 ? (
        <CompletionTable
          caption="Completion by organisation"
          first="Organisation"
          count={{ label: "People", of: (o) => o.people }}
          rows={completion.organisations.map((o) => ({ key: o.organizationId, ...o }))}
        />
      ) : null}
    </section>
  );
}

type CompletionRow = { key: string; name: string; assigned: number; completed: number };

/** Assigned modules completed, one row per module or per organisation, with a count of its own second column. */
function CompletionTable<Row extends CompletionRow>({ caption, first, count, rows }: { caption: string; first: string; count: { label: string; of: (row: Row) => number }; rows: Row[] }) {
  return (
    <DataTable caption={caption} columns={[first, { label: count.label, numeric: true }, { label: "Assigned", numeric: true }, { label: "Completed", numeric: true }, { label: "Share completed", numeric: true }]}>
      {rows.map((r) => (
        <tr key={r.key}>
          <th scope="row">{r.name}</th>
          <td className="numeric">{count.of(r).toLocaleString("en-GB")}</td>
          <td className="numeric">{r.assigned.toLocaleString("en-GB")}</td>
          <td className="numeric">{r.completed.toLocaleString("en-GB")}</td>
          <td className="numeric">{share(r.completed, r.assigned)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
