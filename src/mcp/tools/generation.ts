import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { AgentBehaviorSchema, AgentRecordSchema } from "../../domain/agent.js";
import { IdSchema, JsonObjectSchema } from "../../domain/common.js";
import { DomainInputSchema } from "../../domain/domain.js";
import { RubricSchema } from "../../domain/rubric.js";
import { BlueprintDraftSchema, DifficultySchema, HiddenFactSchema, PersonaSchema, TaskGateVerdictSchema, TaskInputSchema, TaskRecordSchema, TaskShapeSchema, type TaskGateVerdict, type TaskRecord } from "../../domain/task.js";
import { summarizeDomain } from "../../pipeline/summaries.js";
import type { Workspace } from "../../pipeline/workspace.js";
import { idList, seedInput } from "../input-schemas.js";
import { AgentSummarySchema, DomainSummarySchema, TaskSummarySchema, ToolSummarySchema } from "../output-schemas.js";
import { truncate } from "../render.js";
import { defineTool } from "../tool-kit.js";

/** Tools that call the generator model: they create records and may call a configured LLM endpoint. */
const GENERATES = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;
/** Tools that store a hand-authored record. */
const AUTHORS = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

/** Domains, synthetic tools, agents and tasks: generated, or authored by hand. */
export function registerGenerationTools(server: McpServer, workspace: Workspace): void {
  defineTool(
    server,
    "evolve_domains",
    {
      title: "Evolve domains",
      description: "Add domains: unused taxonomy domains first, then sub-domains the generator model evolves from them.",
      input: z.object({ count: z.number().int().min(1).max(500), seed: seedInput }),
      output: z.object({ runId: z.string(), domains: z.array(DomainSummarySchema) }),
      annotations: GENERATES,
    },
    async (args, context) => {
      const { runId, items } = await workspace.evolveDomains(args, context);
      return { structured: { runId, domains: items }, text: `added ${items.length} domain(s) (run ${runId}):\n${items.map((d) => `- ${d.id} ${d.name}: ${d.title} (${d.category})`).join("\n")}` };
    },
  );

  defineTool(
    server,
    "create_domain",
    {
      title: "Create a domain",
      description: "Add your own domain (outside the taxonomy) with its entities; then synthesize_tools grows it.",
      input: DomainInputSchema,
      output: DomainSummarySchema,
      annotations: AUTHORS,
    },
    async (args) => {
      const domain = summarizeDomain(await workspace.createDomain(args));
      return { structured: domain, text: `created domain ${domain.id} ${domain.name}: ${domain.title} (${domain.category})` };
    },
  );

  defineTool(
    server,
    "synthesize_tools",
    {
      title: "Synthesize tools",
      description: "Grow domains into synthetic tools (schemas, annotations) with the generator model.",
      input: z.object({
        domainIds: idList.optional().describe("default: every domain without tools"),
        perDomain: z.number().int().min(1).max(50).optional().describe("tools per domain"),
        seed: seedInput,
      }),
      output: z.object({ runId: z.string(), tools: z.array(ToolSummarySchema) }),
      annotations: GENERATES,
    },
    async (args, context) => {
      const { runId, items } = await workspace.synthesizeTools(args, context);
      return { structured: { runId, tools: items }, text: `added ${items.length} tool(s) (run ${runId}): ${items.map((tool) => tool.name).join(", ")}` };
    },
  );

  defineTool(
    server,
    "generate_agents",
    {
      title: "Generate agents",
      description: "Generate agents, each with related tools of one domain and a generated system prompt.",
      input: z.object({
        count: z.number().int().min(1).max(1000),
        domainIds: idList.optional().describe("default: all"),
        minTools: z.number().int().min(1).max(64).optional(),
        maxTools: z.number().int().min(1).max(64).optional(),
        seed: seedInput,
      }),
      output: z.object({ runId: z.string(), agents: z.array(AgentSummarySchema) }),
      annotations: GENERATES,
    },
    async (args, context) => {
      const { runId, items } = await workspace.generateAgents(args, context);
      return { structured: { runId, agents: items }, text: `added ${items.length} agent(s) (run ${runId}):\n${items.map((a) => `- ${a.id} ${a.name} (${a.toolIds.length} tools)`).join("\n")}` };
    },
  );

  defineTool(
    server,
    "create_agent",
    {
      title: "Create an agent",
      description: "Author an agent: a system prompt and tools of the registry.",
      input: z.object({
        name: z.string().min(1),
        systemPrompt: z.string().min(1).describe("role, organisation, abilities, policies"),
        tools: z.array(z.string().min(1)).min(1).describe("tool ids or names"),
        domainId: z.string().min(1).optional().describe("default: the domain its tools share; generate_tasks needs one"),
        behavior: AgentBehaviorSchema.partial().optional(),
      }),
      output: AgentRecordSchema,
      annotations: AUTHORS,
    },
    async (args) => {
      const agent = await workspace.createAgent(args);
      return { structured: agent, text: `created agent ${agent.id} "${agent.name}" with ${agent.toolIds.length} tool(s)${agent.domainId ? ` in ${agent.domainId}` : ""}` };
    },
  );

  defineTool(
    server,
    "generate_tasks",
    {
      title: "Generate tasks",
      description: "Generate tasks for agents: goal, persona, hidden facts, initial world state, rubric.",
      input: z.object({
        count: z.number().int().min(1).max(10_000).describe("in all, split over the agents"),
        agentIds: idList.optional().describe("default: every agent with a domain"),
        seed: seedInput,
      }),
      output: z.object({ runId: z.string(), tasks: z.array(TaskSummarySchema) }),
      annotations: GENERATES,
    },
    async (args, context) => {
      const { runId, items } = await workspace.generateTasks(args, context);
      return { structured: { runId, tasks: items }, text: `added ${items.length} task(s) (run ${runId}):\n${items.map((t) => `- ${t.id} [${t.difficulty}] ${truncate(t.goal, 100)}`).join("\n")}` };
    },
  );

  defineTool(
    server,
    "create_task",
    {
      title: "Create a task",
      description:
        "Author a task: goal, scenario, persona, hidden facts (revealed only when asked), initial world state, blueprint (the calls a correct agent makes and the facts its answer states; the final state comes from running them) and rubric (rule criteria checked in code, llm criteria scored by the judge). Answers with the gate's verdict; a blueprint that does not run is refused with the reasons.",
      input: TaskInputSchema,
      output: AuthoredTaskSchema,
      annotations: AUTHORS,
    },
    async (args) => {
      const { task, gate } = await workspace.createTask(args);
      return { structured: { ...task, gate }, text: renderTask("created", task, gate) };
    },
  );

  defineTool(
    server,
    "update_task",
    {
      title: "Update a task",
      description: "Change fields of a task; fields not given stay. Stored episodes keep their transcript: judge them again against a new rubric.",
      input: z.object({
        taskId: IdSchema,
        agentId: IdSchema.optional(),
        goal: z.string().min(1).optional(),
        scenario: z.string().min(1).optional(),
        shape: TaskShapeSchema.optional(),
        persona: PersonaSchema.optional(),
        hiddenFacts: z.array(HiddenFactSchema).optional(),
        rubric: RubricSchema.optional(),
        blueprint: BlueprintDraftSchema.optional(),
        initialState: JsonObjectSchema.optional(),
        difficulty: DifficultySchema.optional(),
        expectedTools: z.array(z.string()).optional(),
      }),
      output: AuthoredTaskSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ taskId, ...changes }) => {
      const { task, gate } = await workspace.updateTask(taskId, changes);
      return { structured: { ...task, gate }, text: renderTask("updated", task, gate) };
    },
  );
}

/** A stored task with the gate's verdict on it. */
const AuthoredTaskSchema = TaskRecordSchema.extend({ gate: TaskGateVerdictSchema });

function renderTask(verb: string, task: TaskRecord, gate: TaskGateVerdict): string {
  const verdict = gate.passed
    ? `gate: passed${gate.verifiable ? "; episodes are verified against the blueprint's final state" : "; some blueprint actions use tools without an effect, so episodes cannot be verified"}`
    : `gate: ${gate.problems.map((problem) => problem.detail).join("; ")} (episodes of this task cannot be verified)`;
  return `${verb} task ${task.id} for agent ${task.agentId} [${task.difficulty}]: ${truncate(task.goal, 160)}\npersona: ${task.persona.name} (${task.persona.style}); ${task.hiddenFacts.length} hidden fact(s); rubric: ${task.rubric.criteria.map((c) => c.id).join(", ")}\n${verdict}`;
}
