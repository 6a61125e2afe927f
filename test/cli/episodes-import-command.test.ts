import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { runCli } from "../helpers/run-cli.js";

const TOOLS = [{ type: "function", function: { name: "get_order", description: "Look an order up", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } }];

function lookup(orderId: string, question: string): { messages: Array<Record<string, unknown>>; tools: unknown[] } {
  return {
    messages: [
      { role: "system", content: "You are the orders desk of Northwind." },
      { role: "user", content: `${question} ${orderId}` },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_order", arguments: JSON.stringify({ order_id: orderId }) } }] },
      { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ id: orderId, status: "shipped" }) },
      { role: "assistant", content: `Order ${orderId} has shipped.` },
    ],
    tools: TOOLS,
  };
}

let workdir: string;
const cli = (...args: string[]) => runCli([...args, "--data-dir", "data"], { cwd: workdir });
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-import-"));
  const unanswered = lookup("ORD-3", "And where is order");
  unanswered.messages.splice(3);
  const lines = [JSON.stringify(lookup("ORD-1", "Where is my order")), "{broken", JSON.stringify(lookup("ORD-2", "Could you tell me the status of order number")), JSON.stringify(unanswered)];
  await writeFile(join(workdir, "trajectories.jsonl"), `${lines.join("\n")}\n`);
  await writeFile(join(workdir, "no-tools.jsonl"), `${JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] })}\n`);
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth episodes import", () => {
  it("stores the conversations as episodes, reports bad lines by number, and judge, filter and export work on them", async () => {
    const imported = await cli("episodes", "import", "trajectories.jsonl", "--json");
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ lines: 4, imported: 3, tools: 1, newTools: 1, badLines: 1, firstBadLines: [{ line: 2, reason: "not_json" }] });
    expect(imported.stderr).toContain("line 2 skipped (not_json)");

    const episodes = (await readFile(join(workdir, "data", "episodes", "shard-000001.jsonl"), "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind?: string; labels: string[]; status: string })
      .filter((record) => record.kind === "episode");
    expect(episodes).toHaveLength(3);
    for (const episode of episodes) expect(episode).toMatchObject({ labels: ["imported"], status: "completed" });

    expect((await cli("judge")).code).toBe(0);
    const filtered = await cli("filter", "--json");
    expect(filtered.code).toBe(0);
    const dataset = JSON.parse(filtered.stdout) as { kept: number; rejectionCounts: Record<string, number> };
    // The episode that ends on an unanswered call is rejected with the format check's reason.
    expect(dataset.rejectionCounts).toMatchObject({ unanswered_call: 1 });
    const exported = await cli("export", "--out", "out", "--json");
    expect(exported.code).toBe(0);
    const summary = JSON.parse(exported.stdout) as { path: string; records: number };
    expect(summary.records).toBe(dataset.kept);
    for (const line of (await readFile(summary.path, "utf8")).trimEnd().split("\n")) expect(checkOpenAIRecord(JSON.parse(line))).toEqual([]);
  }, 60_000);

  it("refuses a file that declares no tools, and stores nothing", async () => {
    const result = await runCli(["episodes", "import", "no-tools.jsonl", "--data-dir", "empty-store"], { cwd: workdir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("declares no tools");
    // The store was opened, but holds no episode, agent, task or tool.
    expect(existsSync(join(workdir, "empty-store", "episodes", "shard-000001.jsonl"))).toBe(false);
    for (const catalog of ["agents.json", "tasks.json", "tools.json"]) expect(existsSync(join(workdir, "empty-store", catalog))).toBe(false);
  });
});
