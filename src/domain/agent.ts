import { z } from "zod";
import { IdSchema, recordBase } from "./common.js";

export const AgentBehaviorSchema = z.object({
  confirmBeforeWrite: z.boolean().default(true).describe("ask the user before changing anything"),
  verbosity: z.enum(["terse", "normal", "detailed"]).default("normal"),
  parallelToolCalls: z.boolean().default(true),
});
export type AgentBehavior = z.infer<typeof AgentBehaviorSchema>;

export const AgentRecordSchema = z.object({
  ...recordBase,
  kind: z.literal("agent"),
  name: z.string().min(1),
  domainId: IdSchema.optional(),
  systemPrompt: z.string().min(1),
  toolIds: z.array(IdSchema).min(1),
  behavior: AgentBehaviorSchema.default({ confirmBeforeWrite: true, verbosity: "normal", parallelToolCalls: true }),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;
