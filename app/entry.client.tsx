import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

// When a form's action answers with a redirect, the router starts the next
// navigation and aborts the action's request, which single fetch may still be
// reading (its stream's end can arrive a moment after the redirect itself).
// turbo-stream 2.4.1, the decoder Remix 2 pins, then leaves two promises
// rejected with that AbortError and unhandled, so the browser reports
// "Uncaught (in promise) AbortError" on a page that worked. The abort is the
// router's own doing, not a fault: it is marked handled here, and only it.
window.addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof DOMException && event.reason.name === "AbortError") event.preventDefault();
});

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
