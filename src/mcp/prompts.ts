import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { describeTools } from "../domain/describe.js";
import { DifficultySchema, type Difficulty } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { AgentsynthError } from "../errors/agentsynth-error.js";
import type { Workspace } from "../pipeline/workspace.js";
import { describeToolError } from "./error-text.js";
import { renderVerdict } from "./render.js";

const COMPLETION_LIMIT = 100;

const DIFFICULTY_GUIDE: Record<Difficulty, string> = {
  easy: "one or two tool calls, every fact the agent needs is asked for once, no traps",
  medium: "three to five tool calls that chain (look-ups before changes), one fact the user reveals only when asked",
  hard: "several chained calls with a decision in between, a policy the agent must respect (confirm before a change), an ambiguity the agent has to resolve by asking",
};

/** Prompts that guide a host through authoring and reviewing scenarios with the tools. */
export function registerPrompts(server: McpServer, workspace: Workspace): void {
  server.registerPrompt(
    "author_scenario",
    {
      title: "Author a scenario",
      description: "Guides you to create an agent and a task in a domain, preview 3 episodes, review them and refine the rubric or persona before scaling up.",
      argsSchema: {
        domain: completable(z.string().min(1).describe("domain name or id"), (value) => completeFrom(domainKeys(workspace), value)),
        difficulty: completable(DifficultySchema.optional().describe("easy, medium (default) or hard"), (value) => DifficultySchema.options.filter((d) => d.startsWith(value ?? ""))),
      },
    },
    async ({ domain, difficulty }) => guard(() => authorScenario(workspace, domain, difficulty ?? "medium")),
  );

  server.registerPrompt(
    "review_episode",
    {
      title: "Review an episode",
      description: "Review one episode against its task and rubric: what the agent did well, what went wrong, whether it is good training data, and what to change.",
      argsSchema: { episodeId: completable(z.string().min(1).describe("the episode's id"), async (value) => completeFrom(await workspace.recentEpisodeIds(Number.MAX_SAFE_INTEGER), value)) },
    },
    async ({ episodeId }) => guard(() => reviewEpisode(workspace, episodeId)),
  );

  server.registerPrompt(
    "design_rubric",
    {
      title: "Design a rubric",
      description: "Design (or improve) a task's rubric: rule criteria checked deterministically and llm criteria the judge scores, then save it with update_task.",
      argsSchema: { taskId: completable(z.string().min(1).describe("the task's id"), async (value) => completeFrom((await workspace.listTasks()).map((task) => task.id), value)) },
    },
    async ({ taskId }) => guard(() => designRubric(workspace, taskId)),
  );
}

async function authorScenario(workspace: Workspace, domainKey: string, difficulty: Difficulty): Promise<GetPromptResult> {
  const domain = (await workspace.listDomains()).find((candidate) => candidate.id === domainKey || candidate.name === domainKey);
  const tools = domain ? (await workspace.listTools({ domain: domain.id }, { limit: 200 })).items : [];
  const setup = !domain
    ? `There is no domain "${domainKey}" in the store yet. Call evolve_domains (count 1 or more) and pick the new domain, then synthesize_tools for it, or import_tools with domain "${domainKey}" (which creates it).`
    : tools.length === 0
      ? `Domain ${domain.name} (${domain.id}) has no tools yet: call synthesize_tools with domainIds ["${domain.id}"], or import_tools with domain "${domain.id}".`
      : `Domain ${domain.title} (${domain.name}, ${domain.id}) has these tools:\n${tools.map((tool) => `- ${tool.name}: ${tool.description}`).join("\n")}`;
  const text = [
    `Author an agentic tool-use scenario in the domain "${domainKey}" at ${difficulty} difficulty (${DIFFICULTY_GUIDE[difficulty]}), using the agentsynth tools.`,
    setup,
    "Steps:",
    "1. create_agent: a name, a system prompt (role, organisation, what it can do, its policies: verify ids, confirm before changes, never invent data) and 3-8 related tools that chain (names from list_tools).",
    `2. create_task for that agent: the user's goal in their own words, a persona (name, style, expertise, language, patience), hidden facts the user reveals only when asked (key = the tool parameter they fill), an initialState {"entities": {"<entity>": {"<id>": {…}}}} holding the records the task is about, difficulty "${difficulty}", expectedTools, and a rubric with at least one rule criterion (tool_called, call_order, final_state, no_fabricated_ids, …) and one llm criterion.`,
    "3. simulate the task with episodesPerTask 3.",
    "4. Read each episode (get_episode, or the resource agentsynth://episodes/{id}) and judge them.",
    "5. Review: did the agent reach the goal with the right calls, did the simulated user stay in character and reveal facts only when asked, does the rubric reward what matters? Fix the task with update_task (rubric, persona, hidden facts, initial state) and preview again until the episodes are good.",
    "6. Then scale up (simulate with more episodes per task), judge, filter and export_dataset.",
  ].join("\n\n");
  return { description: `Author a ${difficulty} scenario in ${domainKey}`, messages: [{ role: "user", content: { type: "text", text } }] };
}

async function reviewEpisode(workspace: Workspace, episodeId: string): Promise<GetPromptResult> {
  const { judgment, ...episode } = await workspace.getEpisodeWithVerdict(episodeId);
  const task = await workspace.getTask(episode.taskId);
  const verdict = judgment
    ? `The judge's verdict (judgment ${judgment.judgmentId}, also at agentsynth://judgments/${judgment.judgmentId}):\n${renderVerdict(judgment)}`
    : `It has not been judged yet: call judge with episodeIds ["${episode.id}"] to see the rule checks and the judge's rationale per criterion.`;
  const text = [
    `Review episode ${episode.id} of task ${task.id}. It ended with "${episode.endReason}" (${episode.status})${episode.labels.length ? `, labels: ${episode.labels.join(", ")}` : ""}.`,
    `The user's goal: ${task.goal}\nHidden facts the user had: ${JSON.stringify(task.hiddenFacts)}\nRubric: ${JSON.stringify(task.rubric)}`,
    verdict,
    "Judge it as training data: Did the agent reach the goal? Were its tool calls valid, in a sensible order, with ids it had seen (no invented data)? Did it handle tool errors? Does every claim of the final answer match a tool result? Did the simulated user stay in character and reveal facts only when asked? Would you keep it in a training set? Say whether you agree with the verdict, its reason codes and each criterion's rationale (the evidence names message indexes), name the messages that decide it, then say what to change: the task (update_task), the rubric, or the agent's prompt. The transcript follows as a resource.",
  ].join("\n\n");
  return {
    description: `Review episode ${episode.id}`,
    messages: [
      { role: "user", content: { type: "text", text } },
      { role: "user", content: { type: "resource", resource: { uri: `agentsynth://episodes/${episode.id}`, mimeType: "application/json", text: JSON.stringify(episode, null, 2) } } },
    ],
  };
}

async function designRubric(workspace: Workspace, taskId: string): Promise<GetPromptResult> {
  const task = await workspace.getTask(taskId);
  const agent = await workspace.getAgent(task.agentId);
  const tools = (await Promise.all(agent.toolIds.map((id) => workspace.getTool(id).catch(() => undefined)))).filter((tool): tool is ToolRecord => tool !== undefined);
  const text = [
    `Design the rubric of task ${task.id}. The user's goal: ${task.goal}\nHidden facts: ${JSON.stringify(task.hiddenFacts)}\nInitial world state: ${JSON.stringify(task.initialState)}`,
    `The agent "${agent.name}" has these tools:\n${describeTools(tools)}`,
    `The current rubric: ${JSON.stringify(task.rubric)}`,
    [
      "A rubric is {criteria: [...], passThreshold: 0..1}. Each criterion has an id (lowercase, digits, - or _), a description, a weight and whether it is required, and is either:",
      '- kind "rule" with a check the judge runs deterministically: tool_called {tool, args?, min?, max?}, tool_not_called {tool}, call_order {tools: [a, b, …]}, args_valid, no_fabricated_ids, final_state {path: "entities.order.ORD-1.status", equals? | exists?}, no_call_after_stop, answer_mentions {text: [...]};',
      '- kind "llm": a criterion the judge model scores from 0 to 1 with a rationale.',
      "Write rule criteria for what must happen (the key calls, their order, the final state the goal implies) and mark the essential ones required; add llm criteria for what rules cannot see (the agent confirmed before changing, explained the outcome clearly). Only name tools the agent has.",
    ].join("\n"),
    `Then save it: call update_task with taskId "${task.id}" and the rubric, and re-judge existing episodes of the task to see the effect.`,
  ].join("\n\n");
  return { description: `Design the rubric of task ${task.id}`, messages: [{ role: "user", content: { type: "text", text } }] };
}

/** A prompt for a record that does not exist is an invalid-params error that says how to find valid ids. */
async function guard(build: () => Promise<GetPromptResult>): Promise<GetPromptResult> {
  try {
    return await build();
  } catch (error) {
    if (error instanceof AgentsynthError) throw new McpError(ErrorCode.InvalidParams, describeToolError(error));
    throw error;
  }
}

async function domainKeys(workspace: Workspace): Promise<string[]> {
  return (await workspace.listDomains()).map((domain) => domain.name);
}

async function completeFrom(keys: string[] | Promise<string[]>, value: string | undefined): Promise<string[]> {
  return (await keys).filter((key) => key.startsWith(value ?? "")).slice(0, COMPLETION_LIMIT);
}
