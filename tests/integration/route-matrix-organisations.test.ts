import { defineRouteMatrix } from "./route-matrix-harness.ts";

/** The route × role matrix (route-matrix-harness.ts), one part of three: the organisation pages (/org/…). */
await defineRouteMatrix("organisations");
