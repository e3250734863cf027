import { z } from "zod";

const id = (message: string) => z.string({ error: message }).regex(/^[0-9a-f-]{36}$/i, message);

/** The SCORM export page's two forms, told apart by intent. */
export const ScormActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("export"), moduleVersionId: id("Choose a module version to export") }),
  z.object({ intent: z.literal("revoke"), packageId: id("Unknown package") }),
]);
