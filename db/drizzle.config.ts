import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new migration after a schema change. Commit it.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
