import type { LoaderFunctionArgs } from "@remix-run/node";
import { personalData } from "#app/models/platform/personal-data.server.ts";
import { renderTrainingRecordsPdf } from "#app/models/learning/training-records-pdf.server.ts";
import { londonDate } from "#app/utils/assignment-status.ts";
import { getEnv } from "#app/services/env.server.ts";
import { requireUser } from "#app/services/session.server.ts";

/** The signed-in learner's training record as an A4 PDF. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await personalData(user.id);
  if (!data) throw new Response("Your account no longer exists.", { status: 404 });
  const pdf = await renderTrainingRecordsPdf(data, getEnv().APP_URL);
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="distinct-training-record-${londonDate(new Date())}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
