import type { LoaderFunctionArgs } from "@remix-run/node";
import { personalData } from "#app/models/platform/personal-data.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { requireUser } from "#app/services/session.server.ts";

/** Everything Distinct holds about the signed-in learner, as a JSON file (UK GDPR articles 15 and 20). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await personalData(user.id);
  if (!data) throw new Response("Your account no longer exists.", { status: 404 });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="distinct-my-data-${londonDate(new Date())}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
