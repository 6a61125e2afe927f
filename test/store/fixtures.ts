import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { SCHEMA_VERSION } from "../../src/domain/common.js";
import type { EpisodeRecord } from "../../src/domain/episode.js";
import type { JudgmentRecord } from "../../src/domain/judgment.js";
import type { ChatMessage } from "../../src/domain/message.js";
import type { TaskRecord } from "../../src/domain/task.js";
import type { ToolRecord } from "../../src/domain/tool.js";

/** Record factories shared by the store tests and bench/store.bench.ts. */

const CREATED_AT = "2025-01-02T03:04:05.000Z";
const provenance = { source: "test:store", models: { agent: { provider: "offline", model: "offline" } }, seed: 7, promptHashes: ["abc123"] };

export async function makeTempDir(prefix = "agentsynth-store-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

export function makeTask(id: string, goal = "Refund order ORD-10042"): TaskRecord {
  return {
    id,
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance,
    kind: "task",
    agentId: "agent-1",
    goal,
    persona: { name: "Ada", style: "brief and direct", expertise: "intermediate", language: "en", patience: "medium" },
    hiddenFacts: [{ key: "order_id", value: "ORD-10042", description: "your order number" }],
    rubric: { criteria: [{ id: "refunded", description: "the order is refunded", weight: 1, required: true, kind: "llm" }], passThreshold: 0.7 },
    initialState: {},
    difficulty: "medium",
    expectedTools: ["refund_order"],
  };
}

export function makeTool(id: string, name = `tool_${id.replace(/[^a-zA-Z0-9_-]/g, "_")}`.slice(0, 64)): ToolRecord {
  return {
    id,
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance,
    kind: "tool",
    name,
    description: "Look up an order by its id and return its status, items and totals.",
    inputSchema: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
    source: "imported",
    origin: { originalName: name, file: "tools.json", format: "openai-functions" },
    stale: false,
  };
}

export function makeJudgment(id: string, episodeId: string): JudgmentRecord {
  return {
    id,
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance,
    kind: "judgment",
    episodeId,
    taskId: "task-1",
    formatChecks: [{ id: "tool_exists", passed: true }],
    ruleChecks: [],
    criteria: [{ criterionId: "refunded", kind: "llm", score: 1, rationale: "refunded as asked", required: true, weight: 1 }],
    score: 1,
    verdict: "pass",
    reasons: [],
    summary: "The agent refunded the order.",
  };
}

/** A realistic episode: `rounds` tool-using exchanges; the default (4) comes to about 5 KB of JSON. */
export function makeEpisode(id: string, rounds = 4): EpisodeRecord {
  const messages: ChatMessage[] = [
    { role: "system", content: "You are the customer-support agent of Northwind Outfitters. Confirm before changing anything. Use the tools; never invent ids." },
    { role: "user", content: "Hi, I ordered a tent last week and it arrived torn. Can I get my money back?" },
  ];
  for (let round = 0; round < rounds; round += 1) {
    const callId = `call_${id}_${round}`;
    messages.push(
      { role: "assistant", content: null, tool_calls: [{ id: callId, type: "function", function: { name: "get_order", arguments: JSON.stringify({ order_id: `ORD-1004${round}` }) } }] },
      {
        role: "tool",
        tool_call_id: callId,
        content: JSON.stringify({ order_id: `ORD-1004${round}`, status: "delivered", items: [{ sku: "TENT-2P", name: "Two-person tent", quantity: 1, price: 189.5 }], total: 189.5, delivered_at: "2025-01-01" }),
      },
      { role: "assistant", content: `I found order ORD-1004${round}: a two-person tent, delivered on January 1st, total 189.50. Shall I refund it to your card?` },
      { role: "user", content: "Yes please, refund it to the card I paid with. Thanks for being quick about it." },
    );
  }
  messages.push({ role: "assistant", content: "Done: the refund of 189.50 is on its way and should reach your card within 5 business days." });
  return {
    id,
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance,
    kind: "episode",
    taskId: "task-1",
    agentId: "agent-1",
    index: 0,
    seed: 7,
    toolIds: ["tool-get-order", "tool-refund-order"],
    messages,
    steps: messages.map((message, index) => ({
      index,
      actor: message.role === "user" ? "user_simulator" : message.role === "tool" ? "tool_executor" : message.role === "system" ? "system" : "agent",
      latencyMs: 12,
      labels: [],
      ...(message.role === "tool"
        ? { tool: { toolCallId: message.tool_call_id, toolName: "get_order", execution: "simulated" as const, outcome: "ok" as const, stateDiff: [] } }
        : {}),
    })),
    worldState: { initial: { orders: { "ORD-10040": { status: "delivered" } } }, final: { orders: { "ORD-10040": { status: "refunded" } } } },
    status: "completed",
    endReason: "user_stop",
    labels: [],
    contextCuts: [],
    usage: { inputTokens: 1200, outputTokens: 340 },
  };
}

/** The pid of a process that has exited (and been reaped). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  if (!child.pid) throw new Error("could not start a child process");
  return child.pid;
}

/** A shard's header line as this store writes it, naming `pid` (on this host) as its writer. */
export function shardHeaderLine(collection: string, pid: number): string {
  return `${JSON.stringify({ format: "agentsynth-store", collection, schemaVersion: SCHEMA_VERSION, layout: "jsonl", writer: { pid, hostname: hostname(), startedAt: CREATED_AT } })}\n`;
}

/** Writes a shard by hand, as another process would have left it: a header naming `pid`, the records, then `tail` (a torn end). */
export async function writeShardByHand(directory: string, shard: number, options: { pid: number; records: readonly unknown[]; tail?: string; collection?: string }): Promise<string> {
  await mkdir(directory, { recursive: true });
  const file = join(directory, `shard-${String(shard).padStart(6, "0")}.jsonl`);
  const lines = options.records.map((record) => `${JSON.stringify(record)}\n`).join("");
  await writeFile(file, `${shardHeaderLine(options.collection ?? "episodes", options.pid)}${lines}${options.tail ?? ""}`);
  return file;
}
