import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkTemplates } from "../../src/export/check-templates.js";
import { toExportRecord } from "../../src/export/export-record.js";
import { makeEpisode, ORDER_CONVERSATION, ORDER_TOOLS } from "../helpers/records.js";
import { SHARED_TEMPLATE_FILES, SHARED_TEMPLATES } from "../helpers/test-data.js";

let directory: string | undefined;
afterEach(async () => directory && rm(directory, { recursive: true, force: true }));

describe("checkTemplates with the official chat templates (shared data)", () => {
  it.each(["openai", "hf", "sharegpt"] as const)("renders every %s record through every official template", async (format) => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-templates-"));
    const file = join(directory, "train.jsonl");
    const record = JSON.stringify(toExportRecord(format, makeEpisode(ORDER_CONVERSATION), ORDER_TOOLS, { includeSystemPrompt: true, includeReasoning: true, kimiToolCallIds: true }));
    await writeFile(file, `${record}\n${record}\n${record}\n`);
    const checks = await checkTemplates({ files: [file], templates: SHARED_TEMPLATES, format });
    expect(checks).toEqual(SHARED_TEMPLATE_FILES.map((template) => ({ template, rendered: 3, failed: 0 })));
  });
});
