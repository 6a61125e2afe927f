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
  domainId: IdSchema.optional().describe("the agent's main domain"),
  domainIds: z.array(IdSchema).default([]).describe("every domain the agent's tools come from (2–3 related ones, or its one)"),
  systemPrompt: z.string().min(1),
  rules: z.array(z.string().min(1)).default([]).describe("the business rules of its domains (eligibility, limits, identity checks, hand-over), also stated in the system prompt"),
  toolIds: z.array(IdSchema).min(1),
  behavior: AgentBehaviorSchema.default({ confirmBeforeWrite: true, verbosity: "normal", parallelToolCalls: true }),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;
