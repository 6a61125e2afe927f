import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import type { CurationSummary } from "../../src/domain/curation.js";
import { sleep } from "../../src/support/concurrency.js";
import { openTestHost, SMALL_CONFIG, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { createScriptedModel } from "../helpers/scripted-model.js";

const TOOLS = [{ type: "function", function: { name: "get_order", description: "Look an order up", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } }];

function lookup(orderId: string, answer: string): object {
  return {
    messages: [
      { role: "user", content: `Where is my order ${orderId}? I placed it a while ago and it has not arrived yet.` },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "get_order", arguments: JSON.stringify({ order_id: orderId }) } }] },
      { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ id: orderId, status: "shipped" }) },
      { role: "assistant", content: answer },
    ],
    tools: TOOLS,
  };
}

/** Twelve distinct clean records, one made-up answer (line 5), one broken line (line 9). */
function mixedLines(): string[] {
  const lines = Array.from({ length: 12 }, (_, index) => JSON.stringify(lookup(`ORD-${1000 + index * 7919}`, `Order ORD-${1000 + index * 7919} has shipped.`)));
  lines[4] = JSON.stringify(lookup("ORD-5555", "Your order was delivered to the moon yesterday."));
  lines[8] = "not json at all";
  return lines;
}

let host: TestHost | undefined;
const extraFolders: string[] = [];
afterEach(async () => {
  await host?.close();
  host = undefined;
  for (const folder of extraFolders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** A host that may read `inputs` (as `serve --allow-read inputs` sets it), a folder holding mixed.jsonl. */
async function hostWithInputs(options: Parameters<typeof openTestHost>[0] = {}): Promise<{ host: TestHost; inputs: string }> {
  const inputs = await mkdtemp(join(tmpdir(), "agentsynth-inputs-"));
  extraFolders.push(inputs);
  await writeFile(join(inputs, "mixed.jsonl"), `${mixedLines().join("\n")}\n`);
  return { host: await openTestHost({ ...options, workspace: { readRoots: [inputs] } }), inputs };
}

describe("curate_dataset", () => {
  it("curates a file under the read roots with progress, and writes kept, rejected and the card under the export root", async () => {
    const { host: opened, inputs } = await hostWithInputs();
    host = opened;
    const progress: Progress[] = [];
    const result = structuredOf<CurationSummary>(await host.call("curate_dataset", { file: join(inputs, "mixed.jsonl"), out: "curated" }, { onprogress: (event) => progress.push(event) }));
    expect(result).toMatchObject({ lines: 12, kept: 11, rejected: 1, badLines: 1, llmJudge: false, rejectionCounts: { not_json: 1 } });
    expect(result.firstBadLines).toEqual([{ line: 9, reason: "not_json", detail: expect.stringContaining("not JSON") }]);
    expect(result.directory).toBe(join(host.directory, "out", "curated"));
    expect((await readFile(join(result.directory, "kept.jsonl"), "utf8")).trimEnd().split("\n")).toHaveLength(11);
    const values = progress.map((event) => event.progress);
    expect(values.length).toBeGreaterThan(1);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.at(-1)).toBe(12);
    expect(progress.every((event) => event.total === 12)).toBe(true);
  });

  it("with a judge model configured, the LLM judge scores the generic rubric and its fail rejects the record", async () => {
    const judge = createScriptedModel((request) => {
      const text = JSON.stringify(request.messages);
      const invented = text.includes("moon");
      const criteria = ["resolves-request", "faithful-answer", "sound-tool-use"].map((id) => ({ id, rationale: invented && id === "faithful-answer" ? "the delivery to the moon appears in no tool result" : "fine", score: invented && id === "faithful-answer" ? 0 : 1 }));
      return { criteria, verdict: invented ? "fail" : "pass", summary: invented ? "an invented delivery" : "good" };
    });
    const opened = await hostWithInputs({ models: { judge } });
    host = opened.host;
    const result = structuredOf<CurationSummary>(await host.call("curate_dataset", { file: join(opened.inputs, "mixed.jsonl"), out: "judged" }));
    expect(result.llmJudge).toBe(true);
    expect(result).toMatchObject({ lines: 12, kept: 10, rejected: 2, badLines: 1 });
    expect(judge.requests).toHaveLength(11);
    const rejected = (await readFile(join(result.directory, "rejected.jsonl"), "utf8")).trimEnd().split("\n").map((line) => JSON.parse(line) as { source_line: number; reasons: string[]; details: string[] });
    const moon = rejected.find((line) => line.source_line === 5);
    expect(moon?.reasons).toEqual(expect.arrayContaining(["judge_fail", "required_failed:faithful-answer"]));
    expect(moon?.details.join(" ")).toContain("appears in no tool result");
    expect(await readFile(join(result.directory, "README.md"), "utf8")).toContain("LLM judge: yes (scripted:scripted-test-model)");
  });

  it("refuses a file outside the read roots and an output folder outside the export root; nothing is written", async () => {
    const opened = await hostWithInputs();
    host = opened.host;
    const outside = await mkdtemp(join(tmpdir(), "agentsynth-outside-"));
    extraFolders.push(outside);
    await writeFile(join(outside, "secret.jsonl"), mixedLines().join("\n"));
    const notReadable = await host.call("curate_dataset", { file: join(outside, "secret.jsonl") });
    expect(notReadable.isError).toBe(true);
    expect(textOf(notReadable)).toMatch(/no such file in the folders this server may read/);
    const escaping = await host.call("curate_dataset", { file: join(opened.inputs, "mixed.jsonl"), out: "../escape" });
    expect(escaping.isError).toBe(true);
    expect(textOf(escaping)).toMatch(/outside the allowed export root/);
    expect(existsSync(join(host.directory, "out"))).toBe(false);
    expect(existsSync(join(host.directory, "escape"))).toBe(false);
  });

  it("a cancelled curation stops and leaves no file behind; the server goes on", async () => {
    const slowJudge = createScriptedModel(async (request) => {
      await sleep(30, request.signal);
      return { criteria: ["resolves-request", "faithful-answer", "sound-tool-use"].map((id) => ({ id, rationale: "fine", score: 1 })), verdict: "pass", summary: "good" };
    });
    const opened = await hostWithInputs({ models: { judge: slowJudge }, config: { ...SMALL_CONFIG, judge: { concurrency: 1 } } });
    host = opened.host;
    const controller = new AbortController();
    let notifications = 0;
    const call = host.call("curate_dataset", { file: join(opened.inputs, "mixed.jsonl"), out: "cancelled" }, {
      signal: controller.signal,
      onprogress: () => {
        if (++notifications === 2) controller.abort();
      },
    });
    await expect(call).rejects.toThrow(/abort/i);
    // The server goes on, and the curation it abandoned wrote nothing.
    const again = structuredOf<CurationSummary>(await host.call("curate_dataset", { file: join(opened.inputs, "mixed.jsonl"), out: "after", llmJudge: false }));
    expect(again.kept).toBe(11);
    const folder = join(host.directory, "out", "cancelled");
    for (const name of ["kept.jsonl", "rejected.jsonl", "README.md"]) expect(existsSync(join(folder, name))).toBe(false);
  });
});

