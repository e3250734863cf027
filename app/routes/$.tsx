import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";

// Any address no route matches: a real 404 page, not a 500.
export async function loader() {
  throw new Response("", { status: 404 });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
