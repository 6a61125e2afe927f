import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { toOpenAIRecord } from "../../src/export/openai-format.js";
import { writeExport } from "../../src/export/write-export.js";
import { CancelledError } from "../../src/errors/cancelled-error.js";
import { InputError } from "../../src/errors/input-error.js";
import { checkHfRecord } from "../helpers/check-hf-record.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { makeEpisode, makeTool } from "../helpers/records.js";
import { expectEveryTemplateRenders } from "../helpers/render-templates.js";
import { FIXTURE_TEMPLATES } from "../helpers/test-data.js";

const tools = [makeTool("get_order"), makeTool("cancel_order")];
const call = (id: string, name: string, args: string) => ({ id, type: "function" as const, function: { name, arguments: args } });
const messages: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Cancel ORD-1001." },
  { role: "assistant", content: "Checking.", tool_calls: [call("c1", "get_order", '{"order_id":"ORD-1001"}'), call("c2", "cancel_order", '{"order_id":"ORD-1001"}')], reasoning_content: "two calls" },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001"}' },
  { role: "tool", tool_call_id: "c2", content: '{"id":"ORD-1001","status":"cancelled"}' },
  { role: "assistant", content: "Done: ORD-1001 is cancelled." },
  { role: "user", content: "thanks" },
];
const card = {
  name: "test-set",
  seed: 7,
  configName: "test",
  counts: { domains: 1, tools: 2, agents: 1, tasks: 1, episodes: 1, episodesFailed: 0, judged: 1, passed: 1, kept: 1, rejected: 0, exported: 0 },
  rejectionCounts: { duplicate: 2 },
  domains: [{ name: "orders", title: "Orders", category: "Commerce", episodes: 1 }],
  tools: [{ name: "get_order", source: "synthetic", calls: 1 }],
  models: Object.fromEntries(["generator", "agent", "userSimulator", "toolSimulator", "judge"].map((role) => [role, { provider: "offline", model: "offline-engine-v1" }])) as never,
};

let directory: string | undefined;
afterEach(async () => directory && rm(directory, { recursive: true, force: true }));

describe("toOpenAIRecord", () => {
  it("keeps arguments as JSON strings, call ids on tool messages, and ends on the assistant answer", () => {
    const record = toOpenAIRecord(makeEpisode(messages), tools, { includeSystemPrompt: true });
    expect(record.messages.at(-1)).toEqual({ role: "assistant", content: "Done: ORD-1001 is cancelled." });
    expect(record.messages).toHaveLength(6);
    expect(record.parallel_tool_calls).toBe(true);
    expect(record.tools.map((t) => t.function.name)).toEqual(["get_order", "cancel_order"]);
    expect(JSON.stringify(record)).not.toContain("reasoning_content");
    expect(checkOpenAIRecord(record)).toEqual([]);
  });

  it("drops the system prompt when asked", () => {
    expect(toOpenAIRecord(makeEpisode(messages), tools, { includeSystemPrompt: false }).messages[0]?.role).toBe("user");
  });

  it("renders through our chat templates", () => {
    expectEveryTemplateRenders(FIXTURE_TEMPLATES, toOpenAIRecord(makeEpisode(messages), tools, { includeSystemPrompt: true }));
  });
});

describe("writeExport", () => {
  it("writes JSONL and a dataset card, atomically", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const written = await writeExport({ outDir: directory, fileName: "train.jsonl", episodes: [makeEpisode(messages), makeEpisode(messages)], toolsFor: () => tools, format: { includeSystemPrompt: true }, card });
    const lines = (await readFile(written.path, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(written.records).toBe(2);
    expect(written.sha256).toMatch(/^[0-9a-f]{64}$/);
    const readme = await readFile(written.cardPath, "utf8");
    expect(readme).toContain("Records: 2");
    expect(readme).toContain("`duplicate` | 2");
    expect(readme).toContain("Offline data");
    expect((await readdir(directory)).sort()).toEqual(["README.md", "train.jsonl"]);
  });

  it("leaves no file behind when cancelled midway", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const controller = new AbortController();
    const episodes = (function* () {
      yield makeEpisode(messages);
      controller.abort();
      yield makeEpisode(messages);
    })();
    await expect(writeExport({ outDir: directory, fileName: "train.jsonl", episodes, toolsFor: () => tools, format: { includeSystemPrompt: true }, card, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(directory)).toEqual([]);
  });
});

describe("writeExport with a split and other formats", () => {
  const episodes = Array.from({ length: 10 }, (_, index) => makeEpisode(messages.map((m) => (m.role === "user" ? { ...m, content: `${m.content} (${index})` } : m)), { id: `ep_${index}` }));
  const exportTo = async (outDir: string, seed: number) =>
    writeExport({ outDir, fileName: "train.jsonl", episodes, toolsFor: () => tools, format: { name: "hf", includeSystemPrompt: true }, split: { validationRatio: 0.3, seed, total: episodes.length }, card });

  it("sends round(n × ratio) records to validation.jsonl, the same ones for the same seed", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const first = await exportTo(join(directory, "a"), 5);
    const second = await exportTo(join(directory, "b"), 5);
    expect(first.files.map((file) => [file.split, file.records])).toEqual([["train", 7], ["validation", 3]]);
    expect(first.records).toBe(10);
    for (const file of ["train.jsonl", "validation.jsonl", "README.md"]) {
      expect(await readFile(join(directory, "b", file), "utf8")).toBe(await readFile(join(directory, "a", file), "utf8"));
    }
    expect(second.files.map((file) => file.sha256)).toEqual(first.files.map((file) => file.sha256));
    const other = await exportTo(join(directory, "c"), 6);
    expect(other.files[1]?.sha256).not.toBe(first.files[1]?.sha256);
    const lines = (await readFile(join(directory, "a", "validation.jsonl"), "utf8")).trimEnd().split("\n");
    for (const line of lines) expect(checkHfRecord(JSON.parse(line))).toEqual([]);
    const readme = await readFile(first.cardPath, "utf8");
    expect(readme).toContain("`train.jsonl` (train, 7 records), `validation.jsonl` (validation, 3 records), a 0.3 validation split");
    expect(readme).toContain('data_files={"train": "train.jsonl", "validation": "validation.jsonl"}');
    expect((await readdir(join(directory, "a"))).sort()).toEqual(["README.md", "train.jsonl", "validation.jsonl"]);
  });
});

describe("writeExport never writes outside its root through a symbolic link", () => {
  const write = (root: string, outDir: string) => writeExport({ root, outDir, fileName: "train.jsonl", episodes: [makeEpisode(messages)], toolsFor: () => tools, format: { includeSystemPrompt: true }, card });

  it("replaces links planted at the card, the train file and the old .partial name instead of writing through them", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const root = join(directory, "out");
    const victim = join(directory, "victim.txt");
    await writeFile(victim, "precious\n");
    await mkdir(join(root, "set"), { recursive: true });
    for (const name of ["README.md", "train.jsonl", "train.jsonl.partial", "README.md.tmp"]) await symlink(victim, join(root, "set", name));
    const written = await write(root, join(root, "set"));
    expect(await readFile(victim, "utf8")).toBe("precious\n");
    expect((await lstat(written.cardPath)).isFile()).toBe(true);
    expect((await lstat(written.path)).isFile()).toBe(true);
    expect(await readFile(written.cardPath, "utf8")).toContain("Records: 1");
  });

  it("refuses a folder below the root that is a link, even one pointing back inside, and writes nothing", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const root = join(directory, "out");
    const elsewhere = join(directory, "elsewhere");
    await mkdir(elsewhere, { recursive: true });
    await mkdir(root, { recursive: true });
    await symlink(elsewhere, join(root, "linked"));
    await expect(write(root, join(root, "linked", "set"))).rejects.toThrow(/linked is a symbolic link; exports never follow links/);
    await expect(write(root, join(root, "linked"))).rejects.toBeInstanceOf(InputError);
    expect(await readdir(elsewhere)).toEqual([]);
    await mkdir(join(root, "inside"));
    await symlink(join(root, "inside"), join(root, "loop"));
    await expect(write(root, join(root, "loop"))).rejects.toThrow(/symbolic link/);
    expect(await readdir(join(root, "inside"))).toEqual([]);
  });

  it("leaves no temporary file behind when it fails or is cancelled", async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-export-"));
    const controller = new AbortController();
    controller.abort();
    await expect(writeExport({ root: directory, outDir: join(directory, "set"), fileName: "train.jsonl", episodes: [makeEpisode(messages)], toolsFor: () => tools, format: { includeSystemPrompt: true }, card, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(await readdir(join(directory, "set"))).toEqual([]);
  });
});
