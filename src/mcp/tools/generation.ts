import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { AgentBehaviorSchema, AgentRecordSchema } from "../../domain/agent.js";
import { IdSchema, JsonObjectSchema } from "../../domain/common.js";
import { DomainInputSchema } from "../../domain/domain.js";
import { RubricSchema } from "../../domain/rubric.js";
import { DifficultySchema, HiddenFactSchema, PersonaSchema, TaskRecordSchema, TaskSpecSchema, type TaskRecord } from "../../domain/task.js";
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
      description: "Add domains to the registry: unused domains of the taxonomy first, then more specialised sub-domains the generator model evolves from them. Reports progress.",
      input: z.object({ count: z.number().int().min(1).max(500).describe("how many domains to add"), seed: seedInput }),
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
      description: "Grow domains into synthetic tools (name, description, input and output JSON Schemas, annotations) with the generator model; by default every domain that has no tools yet. Reports progress.",
      input: z.object({
        domainIds: idList("domain").optional().describe("the domains to grow (default: every domain without tools)"),
        perDomain: z.number().int().min(1).max(50).optional().describe("tools per domain (default: the config's tools.perDomain)"),
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
      description: "Generate agents: each gets a toolset of related tools from one domain and a system prompt written by the generator model. Reports progress.",
      input: z.object({
        count: z.number().int().min(1).max(1000),
        domainIds: idList("domain").optional().describe("domains to draw toolsets from (default: all)"),
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
      description: "Author an agent by hand: a system prompt and a toolset from the registry (tool ids or names, see list_tools).",
      input: z.object({
        name: z.string().min(1),
        systemPrompt: z.string().min(1).describe("the agent's system prompt: role, organisation, what it can do, its policies"),
        tools: z.array(z.string().min(1)).min(1).describe("tool ids or names from the registry"),
        domainId: z.string().min(1).optional().describe("the agent's domain (default: the domain all its tools share); generate_tasks needs one"),
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
      description: "Generate tasks for agents with the generator model: a goal, a user persona, hidden facts, an initial world state and a rubric each. Reports progress.",
      input: z.object({
        count: z.number().int().min(1).max(10_000).describe("tasks in all, split over the agents"),
        agentIds: idList("agent").optional().describe("agents to write tasks for (default: every agent with a domain)"),
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
        "Author a task by hand for an agent: the user's goal, their persona, hidden facts the simulated user reveals only when asked, an initial world state, and a rubric (rule criteria checked deterministically, llm criteria scored by the judge).",
      input: TaskSpecSchema,
      output: TaskRecordSchema,
      annotations: AUTHORS,
    },
    async (args) => {
      const task = await workspace.createTask(args);
      return { structured: task, text: renderTask("created", task) };
    },
  );

  defineTool(
    server,
    "update_task",
    {
      title: "Update a task",
      description: "Change fields of a task (goal, persona, hidden facts, rubric, initial state, difficulty, expected tools); fields not given stay. Episodes simulated before keep their transcript; judge them again to score them against the new rubric.",
      input: z.object({
        taskId: IdSchema,
        agentId: IdSchema.optional(),
        goal: z.string().min(1).optional(),
        persona: PersonaSchema.optional(),
        hiddenFacts: z.array(HiddenFactSchema).optional(),
        rubric: RubricSchema.optional(),
        initialState: JsonObjectSchema.optional(),
        difficulty: DifficultySchema.optional(),
        expectedTools: z.array(z.string()).optional(),
      }),
      output: TaskRecordSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ taskId, ...changes }) => {
      const task = await workspace.updateTask(taskId, changes);
      return { structured: task, text: renderTask("updated", task) };
    },
  );
}

function renderTask(verb: string, task: TaskRecord): string {
  return `${verb} task ${task.id} for agent ${task.agentId} [${task.difficulty}]: ${truncate(task.goal, 160)}\npersona: ${task.persona.name} (${task.persona.style}); ${task.hiddenFacts.length} hidden fact(s); rubric: ${task.rubric.criteria.map((c) => c.id).join(", ")}`;
}
