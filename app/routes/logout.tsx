import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "#app/services/account.server.ts";
import { cookieHeaders } from "#app/services/headers.server.ts";

// Signing out changes state, so it is a POST only; a GET just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const headers = await signOut(request);
  return redirect("/login?notice=signed-out", { headers: cookieHeaders(headers) });
}
