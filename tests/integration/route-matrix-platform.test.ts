import { defineRouteMatrix } from "./route-matrix-harness.ts";

/** The route × role matrix (route-matrix-harness.ts), one part of three: the platform's admin and studio pages and every /api/auth endpoint. */
await defineRouteMatrix("platform");
