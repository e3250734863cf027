import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ButtonLink } from "#app/components/ui/button.tsx";
import { ProgressBar } from "#app/components/ui/progress-bar.tsx";
import { CertificateStatusTag } from "#app/components/certificate-status-tag.tsx";
import { Notification } from "#app/components/ui/notification.tsx";
import { Tag } from "#app/components/ui/tag.tsx";
import { AssignmentStatusTag } from "#app/components/status-tags.tsx";
import { learnerAssignments } from "#app/models/organisations/assignment.server.ts";
import { learningHome } from "#app/models/learning/enrolment.server.ts";
import { pendingUpdates } from "#app/models/authoring/updates.server.ts";
import { ModuleUpdateNotice } from "#app/components/module-update-notice.tsx";
import { listMemberships } from "#app/models/organisations/organisation.server.ts";
import { formatDate } from "#app/utils/format.ts";
import { requireUser } from "#app/services/session.server.ts";
import { DataTable } from "#app/components/ui/table.tsx";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [home, assigned, organisations, updates] = await Promise.all([learningHome(user.id), learnerAssignments(user.id), listMemberships(user.id), pendingUpdates(user.id)]);
  return { name: user.name, ...home, assigned, organisations, updates };
}

export const meta: MetaFunction = () => [{ title: "My learning – Distinct" }];

type LearningData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function LearningPage() {
  const { name, inProgress, completed, assigned, organisations, updates } = useLoaderData<typeof loader>();
  const resume = inProgress[0];
  // The latest certificate per module that is expiring or expired, unless the learner is already renewing it.
  const renewing = new Set(inProgress.map((i) => i.slug));
  const latest = new Map<string, (typeof completed)[number]>();
  for (const item of completed) if (!latest.has(item.slug)) latest.set(item.slug, item);
  const renew = [...latest.values()].filter(
    (item) => !renewing.has(item.slug) && (item.certificate?.status === "expired" || item.certificate?.status === "expiring"),
  );
  return (
    <>
      <span className="caption">{name}</span>
      <h1>My learning</h1>
      {updates.map((update) => (
        <ModuleUpdateNotice key={update.slug} update={update} showTitle />
      ))}

      <ResumePanel resume={resume} />
      <RenewNotice renew={renew} />
      <AssignedToYou assigned={assigned} />
      <InProgress inProgress={inProgress} />
      <Completed completed={completed} />
      <Organisations organisations={organisations} />
      <h2>Your account</h2>
      <p>
        <Link to="/learning/cpd">Your CPD record</Link>: the modules you completed, the time you spent, and your own reflection on each, to
        download as PDF or CSV.
      </p>
      <p>
        <Link to="/account">Your account and data</Link>: download your training record and everything Distinct holds
        about you, or delete your account.
      </p>
    </>
  );
}

function Completed({ completed }: { completed: LearningData["completed"] }) {
  return (
    <>
      <h2>Completed</h2>
      {completed.length === 0 ? (
        <p>You have not completed a module yet.</p>
      ) : (
        <DataTable caption="Completed modules" hideCaption columns={["Module", "Version", "Completed", "Status", "Certificate"]}>
          {completed.map((item) => (
            <tr key={item.enrolmentId}>
              <td>
                <Link to={`/modules/${item.slug}`}>{item.title}</Link>
              </td>
              <td>{item.version}</td>
              <td>{formatDate(item.completedAt)}</td>
              <td>
                <Tag tone="success">Completed</Tag>
              </td>
              <td>
                {item.certificate ? (
                  <>
                    <CertificateStatusTag status={item.certificate.status} />{" "}
                    <Link to={`/certificates/${item.certificate.code}`}>
                      {item.certificate.code}
                      <span className="visually-hidden"> for {item.title}</span>
                    </Link>
                  </>
                ) : (
                  "None"
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

function InProgress({ inProgress }: { inProgress: LearningData["inProgress"] }) {
  return (
    <>
      <h2>In progress</h2>
      {inProgress.length === 0 ? (
        <p>
          You have no modules in progress. <Link to="/modules">Choose a module</Link> to start.
        </p>
      ) : (
        <ul className="card-list">
          {inProgress.map((item) => (
            <li key={item.enrolmentId} className="card">
              <h3>
                <Link to={`/modules/${item.slug}`}>{item.title}</Link>
              </h3>
              <p className="card__meta">
                Version {item.version} · started {formatDate(item.startedAt)}
              </p>
              <ProgressBar
                id={`progress-${item.enrolmentId}`}
                value={item.lessonsDone}
                max={item.lessonsTotal}
                label={`${item.lessonsDone} of ${item.lessonsTotal} lessons complete`}
              />
              <p>
                <Link to={item.continueTo}>
                  Continue<span className="visually-hidden"> {item.title}</span>: {item.continueLabel}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function AssignedToYou({ assigned }: { assigned: LearningData["assigned"] }) {
  return (
    <>
      {assigned.length > 0 ? (
        <>
          <h2>Assigned to you</h2>
          <DataTable caption="Modules your organisation has assigned to you" hideCaption columns={["Module", "From", "Due", "Status"]}>
            {assigned.map((a) => (
              <tr key={a.assignmentId}>
                <td>
                  <Link to={`/modules/${a.slug}`}>{a.title}</Link>
                </td>
                <td>{a.organisation}</td>
                <td>{a.due ? formatDate(`${a.due}T12:00:00Z`) : "No due date"}</td>
                <td>
                  <AssignmentStatusTag status={a.status} />
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </>
  );
}

/** Certificates that have expired or expire soon, each with the way to renew it. */
function RenewNotice({ renew }: { renew: LearningData["completed"] }) {
  return (
    <>
      {renew.length > 0 ? (
        <Notification tone="warning" title="Certificates to renew">
          <ul>
            {renew.map((item) => (
              <li key={item.enrolmentId}>
                {item.title}:{" "}
                {item.certificate?.status === "expired"
                  ? `expired on ${formatDate(item.certificate.expiresAt)}`
                  : `expires on ${formatDate(item.certificate?.expiresAt)}`}
                . <Link to="/certificates">Renew it</Link>
              </li>
            ))}
          </ul>
        </Notification>
      ) : null}
    </>
  );
}

function ResumePanel({ resume }: { resume: LearningData["inProgress"][number] | undefined }) {
  return (
    <>
      {resume ? (
        <section className="panel" aria-labelledby="resume-title">
          <h2 id="resume-title" className="panel__heading">
            Continue where you left off
          </h2>
          <p>
            <strong>{resume.title}</strong>: next, {resume.continueLabel.toLowerCase() === "the assessment" ? "the assessment" : `“${resume.continueLabel}”`}.
          </p>
          <ButtonLink to={resume.continueTo}>Continue</ButtonLink>
        </section>
      ) : null}
    </>
  );
}

function Organisations({ organisations }: { organisations: { slug: string; name: string; role: string }[] }) {
  if (organisations.length === 0) return null;
  return (
    <>
      <h2>Your organisations</h2>
      <ul>
        {organisations.map((o) => (
          <li key={o.slug}>
            {o.name}: {o.role === "admin" ? <Link to={`/org/${o.slug}`}>manage training as a training lead</Link> : "learner"}
          </li>
        ))}
      </ul>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
