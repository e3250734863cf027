/**
 * Extra work for the two-instance load run (from DATABASE_URL): a staff list
 * of N people uploaded and Apply pressed (the instances' import job applies
 * it), and M mails queued. Prints the organisation id and the mail count as
 * JSON on the last line.
 */
import { openConfiguredDatabase } from "#app/services/database.server.ts";
import { createOrganisationWithLead } from "#app/models/organisations/organisation.server.ts";
import { checkUpload, requestApply } from "#app/models/organisations/staff-import.server.ts";
import { emailOutbox, licences } from "#db/schema/index.ts";
import { createUser } from "#tests/factories.ts";

const rows = Number(process.argv[2] ?? 3000);
const mails = Number(process.argv[3] ?? 2000);
const { handle, lock } = await openConfiguredDatabase("npm run bench load (seeding)");
try {
  const admin = await createUser({ role: "admin", name: "Load Admin" });
  const org = await createOrganisationWithLead(admin, { name: "Load Force", slug: `load-${Date.now()}`, domains: [], leadName: "Load Lead", leadEmail: "lead@load.example.org" });
  await handle.db.insert(licences).values({ organizationId: org.id, seats: rows + 10, validFrom: new Date(Date.now() - 86_400_000), validUntil: new Date(Date.now() + 365 * 86_400_000), source: "manual" });
  const lines = ["email,name,staff number,team,role"];
  for (let i = 0; i < rows; i++) lines.push(`staff.${i}@load.example.org,Staff ${i},LS${i},Team ${i % 5},PC`);
  const importId = await checkUpload(admin, org.id, "load.csv", new TextEncoder().encode(lines.join("\n")));
  await requestApply(admin, org.id, importId);
  for (let i = 0; i < mails; i += 500) {
    await handle.db.insert(emailOutbox).values(
      Array.from({ length: Math.min(500, mails - i) }, (_, k) => ({ recipient: `queued.${i + k}@load.example.org`, subject: "Queued before the run", text: "Hello", kind: "load-test", priority: 1 })),
    );
  }
  console.log(JSON.stringify({ organizationId: org.id, importId, rows, mails }));
} finally {
  await handle.close();
  lock?.release();
}
