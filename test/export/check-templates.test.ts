import { mkdtemp, rm, writeFile, mkdir, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/domain/message.js";
import { checkTemplates } from "../../src/export/check-templates.js";
import { toExportRecord } from "../../src/export/export-record.js";
import { InputError } from "../../src/errors/input-error.js";
import { makeEpisode, makeTool } from "../helpers/records.js";
import { FIXTURE_TEMPLATES } from "../helpers/test-data.js";

const tools = [makeTool("get_order")];
const messages: ChatMessage[] = [
  { role: "system", content: "You are the orders assistant." },
  { role: "user", content: "Where is ORD-1001?" },
  { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_order", arguments: '{"order_id":"ORD-1001"}' } }] },
  { role: "tool", tool_call_id: "c1", content: '{"id":"ORD-1001","status":"shipped"}' },
  { role: "assistant", content: "It has shipped." },
];

let directory: string | undefined;
afterEach(async () => directory && rm(directory, { recursive: true, force: true }));

async function setUp(format: "openai" | "hf" | "sharegpt"): Promise<{ file: string; templates: string }> {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-templates-"));
  const file = join(directory, "train.jsonl");
  const record = JSON.stringify(toExportRecord(format, makeEpisode(messages), tools, { includeSystemPrompt: true, kimiToolCallIds: true }));
  await writeFile(file, `${record}\n${record}\n${record}\n`);
  const templates = join(directory, "templates");
  await mkdir(templates);
  for (const name of ["numbered-calls.jinja", "tagged-calls.jinja"]) await copyFile(join(FIXTURE_TEMPLATES, name), join(templates, name));
  return { file, templates };
}

describe("checkTemplates", () => {
  it.each(["openai", "hf", "sharegpt"] as const)("renders every %s record through every template of the folder", async (format) => {
    const { file, templates } = await setUp(format);
    const checks = await checkTemplates({ files: [file], templates: templates, format });
    expect(checks).toEqual([
      { template: "numbered-calls.jinja", rendered: 3, failed: 0 },
      { template: "tagged-calls.jinja", rendered: 3, failed: 0 },
    ]);
  });

  it("counts the records a template fails and keeps the first error with its line", async () => {
    const { file, templates } = await setUp("openai");
    await writeFile(join(templates, "broken.jinja"), "{{ messages[0].content | no_such_filter }}");
    await writeFile(join(templates, "unparsable.jinja"), "{% for message in messages %}");
    const checks = await checkTemplates({ files: [file], templates: templates, format: "openai" });
    const broken = checks.find((check) => check.template === "broken.jinja");
    expect(broken).toMatchObject({ rendered: 0, failed: 3, firstError: { file: "train.jsonl", line: 1 } });
    expect(broken?.firstError?.message).not.toBe("");
    expect(checks.find((check) => check.template === "unparsable.jinja")).toMatchObject({ rendered: 0, failed: 3, firstError: { message: expect.stringContaining("does not parse") } });
  });

  it("our templates refuse a record whose tool result answers no call", async () => {
    const { templates } = await setUp("openai");
    const file = join(directory ?? "", "stray.jsonl");
    const stray = { messages: [messages[0], messages[1], { role: "tool", tool_call_id: "c9", content: "{}" }, messages[4]], tools: [] };
    await writeFile(file, `${JSON.stringify(stray)}\n`);
    const checks = await checkTemplates({ files: [file], templates: templates, format: "openai" });
    expect(checks).toEqual([
      { template: "numbered-calls.jinja", rendered: 0, failed: 1, firstError: { file: "stray.jsonl", line: 1, message: expect.stringContaining("the tool result c9 answers no earlier call") } },
      { template: "tagged-calls.jinja", rendered: 0, failed: 1, firstError: { file: "stray.jsonl", line: 1, message: expect.stringContaining("a tool result answers no call") } },
    ]);
  });

  it("refuses a folder without templates", async () => {
    const { file } = await setUp("openai");
    await expect(checkTemplates({ files: [file], templates: join(directory ?? "", "nowhere"), format: "openai" })).rejects.toBeInstanceOf(InputError);
  });
});
