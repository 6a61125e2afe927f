import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/run-cli.js";

const TOOLS = [{ type: "function", function: { name: "get_order", description: "Look an order up", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } }];

/** A clean order look-up: the user names the order, the assistant looks it up and answers. */
function lookup(user: string, orderId: string, answer: string): { messages: Array<Record<string, unknown>>; tools: unknown[] } {
  return {
    messages: [
      { role: "system", content: "You are the orders desk." },
      { role: "user", content: user },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_order", arguments: JSON.stringify({ order_id: orderId }) } }] },
      { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ id: orderId, status: "shipped" }) },
      { role: "assistant", content: answer },
    ],
    tools: TOOLS,
  };
}

const clean = lookup("Where is my order ORD-1001?", "ORD-1001", "Your order ORD-1001 has shipped.");
const cleanToo = lookup("Could you check order ORD-2002 for me please, I ordered it last week", "ORD-2002", "Order ORD-2002 has shipped.");
const fabricated = lookup("Where is my order?", "ORD-9999", "It has shipped.");
const orphanResult = lookup("Where is ORD-1001?", "ORD-1001", "Shipped.");
orphanResult.messages.splice(2, 0, { role: "tool", tool_call_id: "nope", content: "{}" });
const undeclared = { ...lookup("Where is my order ORD-3003?", "ORD-3003", "Shipped."), tools: [] };
const unanswered = lookup("Where is my order ORD-4004?", "ORD-4004", "x");
unanswered.messages.splice(3);

/** line → what it is; blank line 8 is skipped silently. */
const LINES = [
  JSON.stringify(clean), // 1 kept
  JSON.stringify(fabricated), // 2 fabricated id
  "{not json", // 3 bad line
  JSON.stringify({ prompt: "no messages here" }), // 4 bad line
  JSON.stringify(orphanResult), // 5 bad line
  JSON.stringify(undeclared), // 6 unknown tool
  JSON.stringify(cleanToo), // 7 kept
  "", // 8 blank
  JSON.stringify(clean), // 9 duplicate of line 1
  JSON.stringify(unanswered), // 10 ends on an unanswered call
];

interface RejectedLine {
  source_line: number;
  reasons: string[];
  details: string[];
  record: unknown;
}

let workdir: string;
const curate = (...args: string[]): Promise<CliResult> => runCli(["curate", ...args, "--data-dir", "data"], { cwd: workdir });
const readJsonl = async (file: string): Promise<unknown[]> => (await readFile(join(workdir, file), "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as unknown);

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-curate-"));
  await writeFile(join(workdir, "mixed.jsonl"), `${LINES.join("\n")}\n`);
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

describe("agentsynth curate", () => {
  let result: CliResult;
  beforeAll(async () => {
    result = await curate("mixed.jsonl", "--out", "curated");
  }, 60_000);

  it("exits 0 and says what it kept and rejected", () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Curated ${join(workdir, "mixed.jsonl")}: 9 line(s) → kept 2, rejected 7 (3 bad line(s))`);
    expect(result.stdout).toContain(join(workdir, "curated", "kept.jsonl"));
    expect(result.stdout).toContain("rule checks only");
    expect(result.stderr).toMatch(/curate .*10\/10/);
  });

  it("reports each bad line with its number and reason, and goes on", () => {
    expect(result.stderr).toContain("line 3 skipped (not_json)");
    expect(result.stderr).toContain("line 4 skipped (no_messages)");
    expect(result.stderr).toMatch(/line 5 skipped \(tool_message_without_call\): message 3 is a tool result for call "nope"/);
  });

  it("writes the clean records to kept.jsonl as they were", async () => {
    expect(await readJsonl("curated/kept.jsonl")).toEqual([clean, cleanToo]);
  });

  it("writes every other line to rejected.jsonl with its 1-based source line, reasons and the record", async () => {
    const rejected = (await readJsonl("curated/rejected.jsonl")) as RejectedLine[];
    expect(rejected.map((line) => line.source_line)).toEqual([2, 3, 4, 5, 6, 9, 10]);
    const byLine = new Map(rejected.map((line) => [line.source_line, line]));
    expect(byLine.get(2)?.reasons).toContain("fabricated_id");
    expect(byLine.get(2)?.details.join(" ")).toContain("ORD-9999");
    expect(byLine.get(2)?.record).toEqual(fabricated);
    expect(byLine.get(3)).toMatchObject({ reasons: ["not_json"], record: "{not json" });
    expect(byLine.get(4)).toMatchObject({ reasons: ["no_messages"], record: { prompt: "no messages here" } });
    expect(byLine.get(5)?.reasons).toEqual(["tool_message_without_call"]);
    expect(byLine.get(6)?.reasons).toContain("unknown_tool");
    expect(byLine.get(9)).toMatchObject({ reasons: ["duplicate"], record: clean });
    expect(byLine.get(10)?.reasons).toEqual(expect.arrayContaining(["unanswered_call", "no_final_answer"]));
  });

  it("writes a dataset card that names the source by file name only and counts the reasons", async () => {
    const card = await readFile(join(workdir, "curated", "README.md"), "utf8");
    expect(card).toContain("# Curated: mixed.jsonl");
    expect(card).not.toContain(workdir);
    expect(card).toContain("| `fabricated_id` | 1 |");
    expect(card).toContain("- line 3: `not_json`");
  });

  it("refuses to overwrite an earlier curation without --force (exit 2, the files stay), and overwrites with it", async () => {
    const before = await readFile(join(workdir, "curated", "kept.jsonl"), "utf8");
    const again = await curate("mixed.jsonl", "--out", "curated", "--no-dedupe");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("holds kept.jsonl, rejected.jsonl, README.md already");
    expect(await readFile(join(workdir, "curated", "kept.jsonl"), "utf8")).toBe(before);
    const forced = await curate("mixed.jsonl", "--out", "curated", "--no-dedupe", "--force");
    expect(forced.code).toBe(0);
    // Without dedupe the repeated record of line 9 is kept too.
    expect(await readJsonl("curated/kept.jsonl")).toEqual([clean, cleanToo, clean]);
  });

  it("reads ShareGPT lines with --format sharegpt", async () => {
    const sharegpt = {
      conversations: [
        { from: "human", value: "Where is my order ORD-1001?" },
        { from: "function_call", value: JSON.stringify({ name: "get_order", arguments: { order_id: "ORD-1001" } }) },
        { from: "observation", value: JSON.stringify({ id: "ORD-1001", status: "shipped" }) },
        { from: "gpt", value: "Your order ORD-1001 has shipped." },
      ],
      tools: JSON.stringify([TOOLS[0]?.function]),
    };
    const orphan = { conversations: [{ from: "human", value: "hi" }, { from: "observation", value: "{}" }, { from: "gpt", value: "hello" }], tools: "[]" };
    await writeFile(join(workdir, "sharegpt.jsonl"), `${JSON.stringify(sharegpt)}\n${JSON.stringify(orphan)}\n`);
    const run = await curate("sharegpt.jsonl", "--format", "sharegpt", "--out", "sg");
    expect(run.code).toBe(0);
    expect(await readJsonl("sg/kept.jsonl")).toEqual([sharegpt]);
    expect(((await readJsonl("sg/rejected.jsonl")) as RejectedLine[]).map((line) => [line.source_line, line.reasons])).toEqual([[2, ["tool_message_without_call"]]]);
  });

  it("a missing file or a bad flag exits 2 and writes nothing", async () => {
    const missing = await curate("nowhere.jsonl", "--out", "none");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nowhere.jsonl does not exist");
    const badFormat = await curate("mixed.jsonl", "--format", "csv", "--out", "none");
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("--format");
    expect(existsSync(join(workdir, "none"))).toBe(false);
  });
});
