import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JudgmentRecord } from "../../src/domain/judgment.js";
import { SMALL_CONFIG, openTestHost, seedTasks, structuredOf, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
let datasetId: string;
beforeAll(async () => {
  host = await openTestHost({ config: { ...SMALL_CONFIG, judge: { committee: { size: 2, temperatures: [0, 0.5] } } } });
  const taskIds = await seedTasks(host.workspace, 2);
  await host.call("simulate", { taskIds, episodesPerTask: 2 });
  await host.call("judge", {});
  datasetId = structuredOf<{ id: string }>(await host.call("filter", { minScore: 0, requirePass: false, nearDuplicateThreshold: 0.9 })).id;
});
afterAll(async () => host.close());

describe("judge, filter and export_dataset expose the quality options", () => {
  it("judges with the configured committee and stores its agreement", async () => {
    const judgments: JudgmentRecord[] = await host.workspace.store.judgments.find(() => true);
    expect(judgments.length).toBe(4);
    for (const judgment of judgments) {
      expect(judgment.committee?.members).toHaveLength(2);
      expect(judgment.committee?.agreement.overall).toBeGreaterThanOrEqual(0.5);
    }
  });

  it("stores pass^k and task stats on the filtered dataset", async () => {
    const dataset = await host.workspace.store.datasets.require(datasetId);
    expect(Object.keys(dataset.taskStats ?? {})).toHaveLength(2);
    expect(dataset.passHatK).toBeDefined();
  });

  it("lists the config's filter settings on the filter tool's input", async () => {
    const { tools } = await host.client.listTools();
    const properties = Object.keys((tools.find((tool) => tool.name === "filter")?.inputSchema.properties ?? {}) as Record<string, unknown>);
    expect(properties).toEqual(expect.arrayContaining(["nearDuplicateThreshold", "requiredCriteria", "caps", "length", "successRate", "excludeAttributions"]));
  });

  it("filters with diversity caps, length bounds and a success-rate band, keeping the reasons and settings", async () => {
    const capped = structuredOf<{ id: string; kept: number; rejectionCounts: Record<string, number>; passHatK: Record<string, number> }>(
      await host.call("filter", { minScore: 0, requirePass: false, dedupe: false, caps: { perTask: 1 }, successRate: { min: 0, max: 1 }, excludeAttributions: ["tool_simulator"] }),
    );
    expect(capped.kept).toBe(2);
    expect(capped.rejectionCounts).toEqual({ cap_per_task: 2 });
    expect(capped.passHatK["1"]).toBeTypeOf("number");
    const stored = await host.workspace.store.datasets.require(capped.id);
    expect(stored.filter).toMatchObject({ dedupe: false, caps: { perTask: 1 }, excludeAttributions: ["tool_simulator"] });

    const short = structuredOf<{ kept: number; rejectionCounts: Record<string, number> }>(
      await host.call("filter", { minScore: 0, requirePass: false, length: { maxMessages: 1 } }),
    );
    expect(short.kept).toBe(0);
    expect(short.rejectionCounts.messages_above_max).toBe(4);

    const bad = await host.call("filter", { successRate: { min: 0.9, max: 0.1 } });
    expect(bad.isError).toBe(true);
  });

  it.each(["hf", "sharegpt"] as const)("exports %s with Kimi ids and a split", async (format) => {
    const result = structuredOf<{ files: Array<{ split: string; path: string; records: number }>; records: number; format: string }>(
      await host.call("export_dataset", { datasetId, format, path: `${format}/train.jsonl`, kimiToolCallIds: true, split: { validationRatio: 0.5, seed: 1 } }),
    );
    expect(result.format).toBe(format);
    expect(result.files.map((file) => file.split).sort()).toEqual(["train", "validation"]);
    const text = (await Promise.all(result.files.map((file) => readFile(file.path, "utf8")))).join("");
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(result.records);
    lines.forEach((line) => expect(() => JSON.parse(line)).not.toThrow());
    // ShareGPT has no call ids; the hf rows carry the Kimi-style ones.
    if (format === "hf" && text.includes("tool_calls")) expect(text).toMatch(/functions\.[a-zA-Z0-9_-]+:0/);
    expect(await readFile(join(host.directory, "out", format, "README.md"), "utf8")).toContain("validation.jsonl");
  });

  it("takes the split as the config does: a ratio strictly between 0 and 1, the pipeline seed by default", async () => {
    for (const validationRatio of [0, 1]) {
      const refused = await host.call("export_dataset", { datasetId, path: `split-${validationRatio}/train.jsonl`, split: { validationRatio } });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain("validationRatio");
    }
    const seeded = structuredOf<{ files: Array<{ split: string; sha256: string }> }>(
      await host.call("export_dataset", { datasetId, path: "seeded/train.jsonl", split: { validationRatio: 0.5, seed: SMALL_CONFIG.seed } }),
    );
    const unseeded = structuredOf<{ files: Array<{ split: string; sha256: string }> }>(await host.call("export_dataset", { datasetId, path: "unseeded/train.jsonl", split: { validationRatio: 0.5 } }));
    expect(unseeded.files).toEqual(seeded.files.map((file) => ({ ...file, path: expect.stringContaining("unseeded") })));
  });
});
