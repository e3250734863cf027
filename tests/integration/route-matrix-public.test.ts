import { defineRouteMatrix } from "./route-matrix-harness.ts";

/** The route × role matrix (route-matrix-harness.ts), one part of three: every other page: public pages, sign-in, learning, certificates, account. */
await defineRouteMatrix("public");
