import { checkDatabase } from "#app/models/platform/health.server.ts";

/** Liveness and database check for load balancers and monitoring. JSON, never cached. */
export async function loader() {
  const health = await checkDatabase();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
