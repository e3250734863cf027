import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button } from "#app/components/ui/button.tsx";
import { describeLaunch, openLaunch, ScormError } from "#app/models/learning/scorm.server.ts";
import { requireUser } from "#app/services/session.server.ts";

const field = (value: FormDataEntryValue | string | null) => (typeof value === "string" ? value : null);

function asResponse(error: unknown): never {
  if (error instanceof ScormError) throw new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  throw error;
}

/** Where a SCORM package's SCO sends the learner (a new window, never a frame): sign in, then start. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const url = new URL(request.url);
  const launch = await describeLaunch(url.searchParams.get("t")).catch(asResponse);
  return { ...launch, t: url.searchParams.get("t") ?? "", k: url.searchParams.get("k") ?? "", lms: url.searchParams.get("lms") ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const { slug } = await openLaunch(user.id, { token: field(form.get("t")), key: field(form.get("k")), lmsLearnerId: field(form.get("lms")) }).catch(asResponse);
  return redirect(`/modules/${slug}`);
}

export const meta: MetaFunction = () => [{ title: "Start from your learning system – Distinct" }];

export default function ScormLaunchPage() {
  const { title, version, organisation, t, k, lms } = useLoaderData<typeof loader>();
  return (
    <div className="two-thirds">
      <span className="caption">From {organisation}&apos;s learning system</span>
      <h1>{title}</h1>
      <p>
        You opened this module from your learning system. Take it here in Distinct; when you finish, your result (passed or not, your score and the time) is
        sent back to the course you came from, and your certificate is here under My learning.
      </p>
      <p>The package names version {version}; you take the module&apos;s current version, or carry on where you left off.</p>
      <Form method="post">
        <input type="hidden" name="t" value={t} />
        <input type="hidden" name="k" value={k} />
        <input type="hidden" name="lms" value={lms} />
        <Button>Start the module</Button>
      </Form>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "#app/components/error-boundary.tsx";
