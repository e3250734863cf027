import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificatePdfData } from "#app/models/learning/certificate.server.ts";
import { renderCertificatePdf } from "#app/models/learning/certificate-pdf.server.ts";
import { requireUser } from "#app/services/session.server.ts";

/**
 * The certificate as an A4 PDF. Public address /certificates/:code.pdf (the
 * server rewrites it here, as a route cannot end a parameter with ".pdf").
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await certificatePdfData(user, params.code ?? "");
  if (!data) throw new Response("You have no certificate with this code.", { status: 404 });
  const pdf = await renderCertificatePdf(data);
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="distinct-certificate-${data.code}.pdf"`,
      // A revocation must show on the next download.
      "Cache-Control": "private, no-store",
    },
  });
}
