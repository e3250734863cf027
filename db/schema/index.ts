export * from "./auth.ts";
export * from "./learning.ts";
export * from "./platform.ts";
export * from "./organisations.ts";
export * from "./reports.ts";
export * from "./images.ts";
export * from "./sso.ts";
export * from "./authoring.ts";
