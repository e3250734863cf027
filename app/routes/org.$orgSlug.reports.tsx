import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { CompletionChart } from "#app/components/completion-chart.tsx";
import { ConfusionMatrixReport } from "#app/components/confusion-matrix.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { AssignmentStatusTag, PersonStatusTag } from "#app/components/status-tags.tsx";
import { Button, ButtonLink } from "#app/components/ui/button.tsx";
import { ErrorSummary } from "#app/components/ui/error-summary.tsx";
import { SelectField, TextField } from "#app/components/ui/field.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { Pagination } from "#app/components/ui/pagination.tsx";
import { AssignmentInputError, assignNewVersion, olderVersionCompleters, olderVersionCounts, type OlderVersionCompleters } from "#app/models/organisations/assignment.server.ts";
import { confusionMatrix } from "#app/models/reporting/confusion.server.ts";
import { setWeeklyExport, weeklyExportEnabled } from "#app/models/reporting/report-export.server.ts";
import { loadReport, reportContext, ReportQueryError, type StatusCounts } from "#app/models/reporting/report.server.ts";
import { ASSIGNMENT_STATUSES, STATUS_LABELS } from "#app/utils/assignment-status.ts";
import { formatCertificateCode } from "#app/utils/certificate-code.ts";
import { changeAcknowledgementLabel } from "#app/utils/report-csv.ts";
import { AssignNewVersionSchema } from "#app/utils/org-validation.ts";
import { formatShortDate, plural } from "#app/utils/format.ts";
import { requireOrgRole } from "#app/services/org-permissions.server.ts";
import { parseReportQuery, reportSearch, SORT_LABELS, type ReportQuery, type SortKey } from "#app/utils/report-query.ts";
import { wideLayout } from "#app/utils/page-layout.ts";

const FILTER_PARAMS = ["team", "module", "status", "dueFrom", "dueTo", "left"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisation } = await requireOrgRole(request, params.orgSlug, "admin");
  const url = new URL(request.url);
  const [context, weeklyExport] = await Promise.all([reportContext(organisation.id), weeklyExportEnabled(organisation.id)]);
  // What was asked, to refill the form when it cannot be answered.
  const asked = Object.fromEntries(FILTER_PARAMS.map((p) => [p, (url.searchParams.get(p) ?? "").slice(0, 100)])) as Record<(typeof FILTER_PARAMS)[number], string>;
  const base = { organisation: { name: organisation.name, slug: organisation.slug }, teams: context.teams, modules: context.modules, weeklyExport, asked };
  const parsed = parseReportQuery(url.searchParams);
  if (!parsed.ok) return data({ ...base, error: { param: parsed.param, message: parsed.message }, query: null, report: null }, { status: 400 });
  try {
    const moduleId = parsed.query.module ? (context.modules.find((m) => m.slug === parsed.query.module)?.id ?? null) : null;
    const [report, confusion, olderVersions, completers] = await Promise.all([
      loadReport(context, parsed.query),
      confusionMatrix({ organisationId: organisation.id }, moduleId ? { moduleId } : {}),
      olderVersionCounts(organisation.id),
      parsed.query.module ? olderVersionCompleters(organisation.id, parsed.query.module) : null,
    ]);
    return { ...base, error: null, query: parsed.query, report, confusion, olderVersions, completers };
  } catch (error) {
    if (error instanceof ReportQueryError) return data({ ...base, error: { param: error.param, message: error.message }, query: null, report: null }, { status: 400 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { organisation, user } = await requireOrgRole(request, params.orgSlug, "admin");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "assign-version") {
    const submission = parseWithZod(form, { schema: AssignNewVersionSchema });
    if (submission.status !== "success") return data({ assignVersion: { errors: submission.error ?? {} } }, { status: 400 });
    try {
      const { assignmentId } = await assignNewVersion(user, organisation.id, {
        moduleSlug: submission.value.module,
        expectedVersion: submission.value.version,
        dueDate: submission.value.dueDate ?? null,
      });
      return redirect(`/org/${organisation.slug}/assignments/${assignmentId}?created=1`);
    } catch (error) {
      if (error instanceof AssignmentInputError) return data({ assignVersion: { errors: { [error.field]: [error.message] } } }, { status: 400 });
      throw error;
    }
  }
  if (intent !== "weekly-export-on" && intent !== "weekly-export-off") {
    return data({ error: "Choose whether to turn the weekly e-mail on or off." }, { status: 400 });
  }
  await setWeeklyExport(user, organisation.id, intent === "weekly-export-on");
  return redirect(`/org/${organisation.slug}/reports#weekly-export`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Reports – ${data?.organisation.name ?? ""} – Distinct` }];

const percent = (n: number, total: number) => (total ? `${Math.round((n / total) * 100)}%` : "–");

/** Field ids of the filter form, so an error can link to the field it is about. */
const fieldIds: Record<string, string> = {
  team: "report-team",
  module: "report-module",
  status: "report-status",
  dueFrom: "report-due-from",
  dueTo: "report-due-to",
  left: "report-left",
};

export default function ReportsPage() {
  const loaderData = useLoaderData<typeof loader>();
  const { organisation, teams, modules, weeklyExport, asked, error, query, report } = loaderData;
  const confusion = "confusion" in loaderData ? loaderData.confusion : null;
  const olderVersions = "olderVersions" in loaderData ? loaderData.olderVersions : [];
  const completers = "completers" in loaderData ? loaderData.completers : null;
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const base = `/org/${organisation.slug}/reports`;
  const assignErrors = actionData && "assignVersion" in actionData ? (actionData.assignVersion.errors as Record<string, string[] | null | undefined>) : null;
  // ?confirm=assign-version is the confirmation step of assigning a new version (docs/decisions/021, 036).
  if (query && completers && (params.get("confirm") === "assign-version" || assignErrors)) {
    return <ConfirmAssignVersion completers={completers} errors={assignErrors ?? {}} cancelTo={`${base}${reportSearch(query, {})}#new-version`} />;
  }
  const filtered = query ? !!(query.team || query.module || query.status || query.dueFrom || query.dueTo || query.includeLeft) : true;
  const moduleTitle = (fallback: string) => modules.find((m) => m.slug === query?.module)?.title ?? fallback;
  return (
    <>
      <ErrorSummary errors={error ? [{ href: `#${fieldIds[error.param] ?? "report-filters"}`, message: error.message }] : []} />
      <h1>Reports</h1>
      <p className="two-thirds">
        Who is trained, on which version, who is overdue and whose certificate expires soon. Filter the report, sort the table by any column, and
        download it as a spreadsheet: the download holds every row that matches, not just this page.
      </p>
      {olderVersions.length > 0 && !query?.module ? <OlderVersionsNotice olderVersions={olderVersions} base={base} /> : null}
      <ReportFilters teams={teams} modules={modules} asked={asked} error={error} query={query} base={base} filtered={filtered} />

      {report && query ? (
        <>
          <ReportSummaries
            report={report}
            query={query}
            filtered={filtered}
            moduleTitle={moduleTitle}
            newVersion={
              completers ? <NewVersionSection completers={completers} assignHref={`${base}${reportSearch(query, {})}${reportSearch(query, {}) ? "&" : "?"}confirm=assign-version`} /> : null
            }
          />
          <PeopleSection report={report} query={query} base={base} filtered={filtered} />
        </>
      ) : null}

      {report && query && confusion ? <ConfusionSection confusion={confusion} query={query} organisationName={organisation.name} moduleTitle={moduleTitle} /> : null}

      <WeeklyExportSection weeklyExport={weeklyExport} organisationName={organisation.name} />
    </>
  );
}

type ReportsData = SerializeFrom<typeof loader>;
type LoadedReport = NonNullable<ReportsData["report"]>;
type LoadedQuery = NonNullable<ReportsData["query"]>;

/** Modules updated since some people completed them, each a link to its older-version completers. */
function OlderVersionsNotice({ olderVersions, base }: { olderVersions: { slug: string; title: string; people: number; currentVersion: number }[]; base: string }) {
  return (
    <Notification title="Modules updated since some people completed them">
      <ul>
        {olderVersions.map((m) => (
          <li key={m.slug}>
            <Link to={`${base}?module=${encodeURIComponent(m.slug)}#new-version`}>{m.title}</Link>: {plural(m.people, "person", "people")} completed an older version
            than version {m.currentVersion}.
          </li>
        ))}
      </ul>
    </Notification>
  );
}

/** The filter form: team, module, status, due dates and people who left; sort and direction carried along. */
function ReportFilters({
  teams,
  modules,
  asked,
  error,
  query,
  base,
  filtered,
}: {
  teams: ReportsData["teams"];
  modules: ReportsData["modules"];
  asked: ReportsData["asked"];
  error: ReportsData["error"];
  query: ReportsData["query"];
  base: string;
  filtered: boolean;
}) {
  const location = useLocation();
  const errorsFor = (param: string) => (error?.param === param ? [error.message] : undefined);
  const value = (p: (typeof FILTER_PARAMS)[number]) =>
    query ? (p === "left" ? (query.includeLeft ? "1" : "") : p === "dueFrom" ? (query.dueFrom ?? "") : p === "dueTo" ? (query.dueTo ?? "") : (query[p] ?? "")) : asked[p];
  return (
    <>
      {/* Keyed by the address, so the fields show the filters of the page shown (after "Clear filters" too). */}
      <Form method="get" className="filters" id="report-filters" aria-label="Filter the report" key={location.search}>
        <SelectField
          id={fieldIds.team!}
          name="team"
          label="Team"
          defaultValue={value("team")}
          errors={errorsFor("team")}
          options={[{ value: "", label: "All teams" }, { value: "none", label: "No team" }, ...teams.map((t) => ({ value: t.id, label: t.name }))]}
        />
        <SelectField
          id={fieldIds.module!}
          name="module"
          label="Module"
          defaultValue={value("module")}
          errors={errorsFor("module")}
          options={[{ value: "", label: "All modules" }, ...modules.map((m) => ({ value: m.slug, label: m.title }))]}
        />
        <SelectField
          id={fieldIds.status!}
          name="status"
          label="Status"
          defaultValue={value("status")}
          errors={errorsFor("status")}
          options={[{ value: "", label: "Any status" }, ...ASSIGNMENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]}
        />
        <TextField id={fieldIds.dueFrom!} name="dueFrom" type="date" label="Due from" defaultValue={realDayOrEmpty(value("dueFrom"))} errors={errorsFor("dueFrom")} />
        <TextField id={fieldIds.dueTo!} name="dueTo" type="date" label="Due to" defaultValue={realDayOrEmpty(value("dueTo"))} errors={errorsFor("dueTo")} />
        <div className="form-group">
          <div className="choice">
            <input type="checkbox" id={fieldIds.left} name="left" value="1" defaultChecked={value("left") === "1"} className="choice__input" />
            <label htmlFor={fieldIds.left} className="choice__label">
              Include people who have left
            </label>
          </div>
        </div>
        {query && query.sort !== "name" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query && query.dir !== "asc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
        <Button variant="secondary">Apply filters</Button>
        {filtered ? (
          <Link to={base} className="filters__clear">
            Clear filters
          </Link>
        ) : null}
      </Form>
    </>
  );
}

/** Status by module, then (when given) who completed an older version, then status by team and completion over time. */
function ReportSummaries({
  report,
  query,
  filtered,
  moduleTitle,
  newVersion,
}: {
  report: LoadedReport;
  query: LoadedQuery;
  filtered: boolean;
  moduleTitle: (fallback: string) => string;
  newVersion: ReactNode;
}) {
  return (
    <>
      <section aria-labelledby="by-module">
        <h2 id="by-module">Status by module</h2>
        {report.summary.overall.total === 0 ? (
          <p>{filtered ? "Nobody matches these filters." : "No modules are assigned yet. Assign a module and the report fills in as people start."}</p>
        ) : (
          <StatusTable
            id="status-by-module"
            caption={`Status of ${plural(report.summary.overall.total, "assigned module")}${filtered ? " matching the filters" : ""}, by module`}
            firstColumn="Module"
            rows={report.summary.byModule.map((m) => ({ key: m.moduleId, label: m.title, href: reportSearch(query, { module: m.slug, page: 1 }), counts: m.counts }))}
            total={report.summary.byModule.length > 1 ? report.summary.overall : null}
            hrefFor={(status) => reportSearch(query, { status, page: 1 })}
          />
        )}
      </section>

      {newVersion}

      {report.summary.overall.total > 0 ? (
        <>
          <section aria-labelledby="by-team">
            <h2 id="by-team">Status by team</h2>
            <StatusTable
              id="status-by-team"
              caption={`Status by team${query.module ? ` for ${moduleTitle("the module")}` : ", all modules together"}`}
              firstColumn="Team"
              rows={report.summary.byTeam.map((t) => ({ key: t.teamId ?? "none", label: t.name, href: reportSearch(query, { team: t.teamId ?? "none", page: 1 }), counts: t.counts }))}
              total={report.summary.byTeam.length > 1 ? report.summary.overall : null}
            />
          </section>

          <section aria-labelledby="over-time">
            <h2 id="over-time">Completion over time</h2>
            <p className="two-thirds">
              The share of the {plural(report.summary.overall.total, "assigned module")} shown that had been completed by the end of each month, counting
              certificates that have expired since (they were completed) but not revoked ones.
            </p>
            <CompletionChart series={report.series} id="completion-chart" />
          </section>
        </>
      ) : null}
    </>
  );
}

/** The table of everyone, one row per person and module, with its downloads and pages. */
function PeopleSection({ report, query, base, filtered }: { report: LoadedReport; query: LoadedQuery; base: string; filtered: boolean }) {
  return (
    <section aria-labelledby="people-table">
      <h2 id="people-table">Everyone, one row per person and module</h2>
      <div className="button-group">
        <ButtonLink to={`${base}/export.csv${reportSearch({ ...query, page: 1 })}`} reloadDocument download variant="secondary">
          Download these {plural(report.page.total, "row")} as CSV
        </ButtonLink>
        <ButtonLink to={`${base}/export.xlsx${reportSearch({ ...query, page: 1 })}`} reloadDocument download variant="secondary">
          Download these {plural(report.page.total, "row")} as an Excel workbook (XLSX)
        </ButtonLink>
      </div>
      <PeopleTable query={query} rows={report.page.rows} total={report.page.total} filtered={filtered} />
      <Pagination
        page={query.page}
        pages={report.page.pages}
        href={(p) => `${base}${reportSearch(query, { page: p })}`}
        label="Report table pages"
        previous="← Previous"
        next="Next →"
      />
    </section>
  );
}

/** Which offences the organisation's people confuse, from every answer to a scenario question. */
function ConfusionSection({
  confusion,
  query,
  organisationName,
  moduleTitle,
}: {
  confusion: NonNullable<Extract<ReportsData, { confusion: unknown }>["confusion"]>;
  query: LoadedQuery;
  organisationName: string;
  moduleTitle: (fallback: string) => string;
}) {
  return (
    <section aria-labelledby="confusions">
      <h2 id="confusions">Which offences our people confuse</h2>
      <p className="two-thirds">
        From every answer to a scenario question by people in {organisationName}
        {query.module ? ` in ${moduleTitle("this module")}` : ""}: for each offence a scenario really
        showed, what people answered. Team, status and date filters do not apply here{query.module ? "" : "; the module filter does"}.
      </p>
      <ConfusionMatrixReport
        matrix={confusion}
        caption={`Answers to scenario questions${query.module ? ` in ${moduleTitle("this module")}` : ""}, by the right answer`}
        id="org-confusion"
        headingLevel={3}
      />
    </section>
  );
}

/** The weekly e-mail of the figures and the table to every training lead: on or off. */
function WeeklyExportSection({ weeklyExport, organisationName }: { weeklyExport: boolean; organisationName: string }) {
  return (
    <section aria-labelledby="weekly-export" className="two-thirds">
      <h2 id="weekly-export">Weekly report by e-mail</h2>
      {weeklyExport ? (
        <>
          <p>
            <strong>On.</strong> Every training lead of {organisationName} gets the figures and this table (everyone except people who have left) by
            e-mail once a week. A table over 5 MB is not attached; the e-mail links to the download instead.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="weekly-export-off" />
            <Button variant="secondary">Turn off the weekly e-mail</Button>
          </Form>
        </>
      ) : (
        <>
          <p>
            <strong>Off.</strong> Turn it on to send every training lead of {organisationName} the figures and this table as a CSV file once a week. The
            file holds personal information: turn it on only if your organisation allows such files by e-mail.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="weekly-export-on" />
            <Button variant="secondary">Turn on the weekly e-mail</Button>
          </Form>
        </>
      )}
    </section>
  );
}

/**
 * A date field can only hold a real day: an impossible one typed into the
 * address (2026-02-30) is named in the error message and left out of the
 * field, which the browser would blank anyway (and the HTML would be invalid).
 */
function realDayOrEmpty(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return "";
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value ? value : "";
}

function StatusTable({
  id,
  caption,
  firstColumn,
  rows,
  total,
  hrefFor,
}: {
  id: string;
  caption: string;
  firstColumn: string;
  rows: { key: string; label: string; href: string; counts: StatusCounts }[];
  total: StatusCounts | null;
  hrefFor?: (status: (typeof ASSIGNMENT_STATUSES)[number]) => string;
}) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="status-table">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            {ASSIGNMENT_STATUSES.map((s) => (
              <th scope="col" className="numeric" key={s}>
                {hrefFor ? <Link to={hrefFor(s)}>{STATUS_LABELS[s]}</Link> : STATUS_LABELS[s]}
              </th>
            ))}
            <th scope="col" className="numeric">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                <Link to={row.href}>{row.label}</Link>
              </th>
              <CountCells counts={row.counts} />
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">All</th>
              <CountCells counts={total} />
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

function CountCells({ counts }: { counts: StatusCounts }) {
  return (
    <>
      {ASSIGNMENT_STATUSES.map((s) => (
        <td className="numeric" key={s}>
          {counts[s].toLocaleString("en-GB")} <span className="secondary">({percent(counts[s], counts.total)})</span>
        </td>
      ))}
      <td className="numeric">{counts.total.toLocaleString("en-GB")}</td>
    </>
  );
}

type TableRow = ReturnType<typeof useLoaderData<typeof loader>>["report"] extends infer R ? (R extends { page: { rows: (infer T)[] } } ? T : never) : never;

// Name first: it is the column kept in view (sticky) while the others scroll.
const COLUMNS: { key: SortKey | null; label: string; numeric?: boolean }[] = [
  { key: "name", label: SORT_LABELS.name },
  { key: "staff", label: SORT_LABELS.staff },
  { key: "team", label: SORT_LABELS.team },
  { key: "module", label: SORT_LABELS.module },
  { key: null, label: "Version", numeric: true },
  { key: "status", label: SORT_LABELS.status },
  { key: null, label: "Assigned" },
  { key: "due", label: SORT_LABELS.due },
  { key: "started", label: SORT_LABELS.started },
  { key: "completed", label: SORT_LABELS.completed },
  { key: "score", label: SORT_LABELS.score, numeric: true },
  { key: "attempts", label: SORT_LABELS.attempts, numeric: true },
  { key: null, label: "Certificate" },
  { key: "expires", label: SORT_LABELS.expires },
  // Last: the inspector's columns (Due to Certificate) stay in view at 1280 px.
  { key: null, label: "Current version completed" },
];

function PeopleTable({ query, rows, total, filtered }: { query: ReportQuery; rows: TableRow[]; total: number; filtered: boolean }) {
  const sortHeader = (key: SortKey, label: string) => {
    const current = query.sort === key;
    const nextDir = current && query.dir === "asc" ? "desc" : "asc";
    return (
      <Link to={reportSearch(query, { sort: key, dir: nextDir, page: 1 })} className="sort-link">
        {label}
        <span className="visually-hidden">{current ? `, sorted ${query.dir === "asc" ? "ascending" : "descending"}; sort ${nextDir === "asc" ? "ascending" : "descending"}` : ", sort ascending"}</span>
        <span aria-hidden="true" className="sort-link__arrow">
          {current ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
        </span>
      </Link>
    );
  };
  return (
    <div className="table-scroll report-table-scroll" role="region" aria-labelledby="report-rows-caption" tabIndex={0}>
      <table className="report-table" id="report-rows">
        <caption id="report-rows-caption">
          {plural(total, "row")}
          {filtered ? " matching the filters" : ""}, sorted by {SORT_LABELS[query.sort].toLowerCase()} ({query.dir === "asc" ? "ascending" : "descending"})
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={c.numeric ? "numeric" : undefined}
                aria-sort={c.key && query.sort === c.key ? (query.dir === "asc" ? "ascending" : "descending") : undefined}
              >
                {c.key ? sortHeader(c.key, c.label) : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.personId}:${r.moduleSlug}`}>
              <th scope="row" className="report-table__name">
                {r.name}
                {r.personStatus !== "active" ? (
                  <>
                    {" "}
                    <PersonStatusTag status={r.personStatus} />
                  </>
                ) : null}
              </th>
              <td className="nowrap" data-label="Staff number">
                {r.staffNumber ?? ""}
              </td>
              <td data-label="Team">{r.team ?? ""}</td>
              <td data-label="Module">{r.moduleTitle}</td>
              <td className="numeric" data-label="Version">
                {r.moduleVersion ?? ""}
              </td>
              <td data-label="Status">
                <AssignmentStatusTag status={r.status} />
              </td>
              <td className="nowrap" data-label="Assigned">
                {formatShortDate(r.assignedAt)}
              </td>
              <td className="nowrap" data-label="Due">
                {r.due ? formatShortDate(`${r.due}T12:00:00Z`) : ""}
                {r.extended ? <div className="small secondary">extended</div> : null}
              </td>
              <td className="nowrap" data-label="Started">
                {formatShortDate(r.startedAt)}
              </td>
              <td className="nowrap" data-label="Completed">
                {formatShortDate(r.completedAt)}
              </td>
              <td className="numeric" data-label="Score">
                {r.score === null ? "" : `${r.score}%`}
              </td>
              <td className="numeric" data-label="Attempts">
                {r.attempts}
              </td>
              <td data-label="Certificate">
                {r.certificateCode ? (
                  <>
                    <Link to={`/verify/${r.certificateCode}`} className="nowrap">
                      {formatCertificateCode(r.certificateCode)}
                    </Link>
                    {r.certificateRevoked ? <div className="small secondary">revoked</div> : null}
                  </>
                ) : (
                  ""
                )}
              </td>
              <td className="nowrap" data-label="Expires">
                {formatShortDate(r.certificateExpiresAt)}
              </td>
              <td data-label="Current version completed">
                <VersionStanding row={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Whether the latest completion is of the current version, and for an older one whether the change was acknowledged. */
function VersionStanding({ row }: { row: TableRow }) {
  if (row.lastCompletedVersion === null || row.currentVersion === null) return null;
  if (row.lastCompletedVersion >= row.currentVersion) return <>Yes</>;
  const ack = changeAcknowledgementLabel(row.changeAcknowledgement);
  return (
    <>
      <span className="nowrap">
        No: version {row.lastCompletedVersion} of {row.currentVersion}
      </span>
      {ack ? <div className="small secondary">Change acknowledged: {ack}</div> : null}
    </>
  );
}

/** Who completed an older version of the filtered module, and the way to assign them the current one. */
function NewVersionSection({ completers, assignHref }: { completers: OlderVersionCompleters; assignHref: string }) {
  return (
    <section aria-labelledby="new-version" className="two-thirds">
      <h2 id="new-version">Version {completers.currentVersion} of {completers.moduleTitle}</h2>
      {completers.people.length === 0 ? (
        <p>Everyone assigned this module who has completed it has completed version {completers.currentVersion}, or has been assigned it.</p>
      ) : (
        <>
          <p>
            {plural(completers.people.length, "person", "people")} completed an older version and {completers.people.length === 1 ? "has" : "have"} not been
            assigned version {completers.currentVersion}:{" "}
            {completers.people.map((p) => `${p.name} (version ${p.completedVersion})`).join(", ")}.{" "}
            {completers.materialSince
              ? "The module has changed materially since: what a learner must know is different."
              : "Every change since was a correction (wording, typos, links): nothing a learner must know is different."}
          </p>
          <ButtonLink to={assignHref} variant="secondary">
            Assign version {completers.currentVersion} to {completers.people.length === 1 ? "this person" : `these ${completers.people.length} people`}
          </ButtonLink>
        </>
      )}
    </section>
  );
}

/** The confirmation step of assigning the new version, with an optional due date. */
function ConfirmAssignVersion({ completers, errors, cancelTo }: { completers: OlderVersionCompleters; errors: Record<string, string[] | null | undefined>; cancelTo: string }) {
  const messages = Object.entries(errors).flatMap(([field, list]) => (list?.length ? [{ field, message: list[0]! }] : []));
  const dueError = errors.dueDate?.length ? errors.dueDate : undefined;
  const joined = completers.people.filter((p) => p.status === "active").length;
  const count = plural(completers.people.length, "person", "people");
  return (
    <div className="two-thirds">
      <ErrorSummary errors={messages.map((m) => ({ href: m.field === "dueDate" ? "#assign-version-due" : "#assign-version-form", message: m.message }))} />
      <span className="caption">Reports</span>
      <h1>
        Assign version {completers.currentVersion} of “{completers.moduleTitle}” to {count}?
      </h1>
      {completers.people.length === 0 ? (
        <p>No one still has only an older version and no assignment of version {completers.currentVersion}.</p>
      ) : (
        <>
          <div className="notification notification--warning" role="region" aria-label="What this will do">
            <p className="notification__title">Are you sure? This will:</p>
            <ul>
              <li>
                assign version {completers.currentVersion} to {completers.people.map((p) => p.name).join(", ")}
              </li>
              <li>show them as not completed until they complete version {completers.currentVersion}: their completion of an older version does not count for it</li>
              <li>
                {joined === completers.people.length
                  ? `email all ${count}`
                  : `email the ${plural(joined, "person", "people")} who ${joined === 1 ? "has" : "have"} joined; the others when they accept their invitation`}
              </li>
              <li>keep their earlier certificates, which go on naming the version they were issued for</li>
            </ul>
          </div>
          <Form method="post" className="form" id="assign-version-form" noValidate>
            <input type="hidden" name="intent" value="assign-version" />
            <input type="hidden" name="module" value={completers.moduleSlug} />
            <input type="hidden" name="version" value={String(completers.currentVersion)} />
            <TextField id="assign-version-due" name="dueDate" type="date" label="Due date (optional)" hint="Leave empty for no due date." className="input--narrow" errors={dueError} />
            <div className="button-group">
              <Button variant="warning">Yes, assign version {completers.currentVersion}</Button>
              <Link to={cancelTo}>No, go back</Link>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}

// The people table has 15 columns: the page takes the window's width.
export const handle = wideLayout;

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
