/**
 * Classic Remix compiler (see docs/decisions/001-classic-remix-compiler.md).
 * `server` makes app/server.ts the entry of the server build: an Express
 * server that knows the client address, runs migrations and the content
 * import before it listens, schedules jobs and closes the database on exit.
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  appDirectory: "app",
  server: "./app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Our own code imported through package.json "imports" (#app/*, #db/*):
  // bundle it, or the compiler leaves it external like a package.
  serverDependenciesToBundle: [/^#(app|db)\//],
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  future: {
    v3_fetcherPersist: true,
    v3_lazyRouteDiscovery: true,
    v3_relativeSplatPath: true,
    v3_singleFetch: true,
    v3_throwAbortReason: true,
  },
};
