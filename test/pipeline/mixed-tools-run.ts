import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { openWorkspace } from "../../src/pipeline/workspace.js";
import { checkOpenAIRecord } from "../helpers/check-openai-record.js";
import { SMALL_CONFIG } from "../helpers/mcp-client.js";
import { runCli } from "../helpers/run-cli.js";
import type { FunctionSpecs } from "../helpers/test-data.js";

const REAL_NAMES = /user_details|order_details|reservation_details|cancel_pending_order/;

/**
 * A run over imported real tools mixed with synthetic ones: an agent with three synthetic tools and three of the
 * imported function specs, its episodes judged, filtered and exported with `agentsynth export --check-templates`.
 * The records pass the independent check and carry imported tools.
 */
export async function checkMixedToolsRun(functions: FunctionSpecs, templates: string): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-mixed-"));
  try {
    const dataDir = join(directory, "data");
    const workspace = await openWorkspace({ dataDir, config: SMALL_CONFIG, exportRoot: join(directory, "out"), env: {} });
    try {
      const [domain] = (await workspace.evolveDomains({ count: 1 })).items;
      if (!domain) throw new Error("no domain");
      const synthetic = (await workspace.synthesizeTools({ domainIds: [domain.id], perDomain: 4 })).items;
      const imported = await workspace.importTools({ file: functions.file, domain: domain.id });
      // Specs that repeat a name already in the domain (one per desk) are skipped.
      expect(imported.imported.length).toBeGreaterThanOrEqual(functions.count - 2);
      const realNames = imported.imported.map((tool) => tool.name).filter((name) => REAL_NAMES.test(name)).slice(0, 3);
      const agent = await workspace.createAgent({
        name: "Mixed Support Agent",
        systemPrompt: "You are a support assistant. Look records up with your tools before changing anything, confirm changes with the user, and never invent ids.",
        tools: [...synthetic.slice(0, 3).map((tool) => tool.name), ...realNames],
      });
      const tasks = await workspace.generateTasks({ count: 4, agentIds: [agent.id] });
      await workspace.simulate({ taskIds: tasks.items.map((task) => task.id), episodesPerTask: 2 });
      await workspace.judge({});
      const dataset = await workspace.filter({ minScore: 0, requirePass: false, dedupe: true });
      expect(dataset.keptEpisodeIds.length).toBeGreaterThan(0);
    } finally {
      await workspace.close();
    }

    const out = join(directory, "export");
    const result = await runCli(["export", "--data-dir", dataDir, "--out", out, "--check-templates", templates, "--json"], { cwd: directory });
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.code).toBe(0);
    const exported = JSON.parse(result.stdout) as { path: string; cardPath: string; templateChecks: Array<{ failed: number }> };
    expect(exported.path).toBe(join(out, "mcp-test-dataset-1", "train.jsonl"));
    expect(exported.templateChecks.map((check) => check.failed)).toEqual(exported.templateChecks.map(() => 0));
    const lines = (await readFile(exported.path, "utf8")).trimEnd().split("\n");
    const sources = new Set<string>();
    for (const line of lines) {
      const record = JSON.parse(line) as { messages: unknown[]; tools: Array<{ function: { name: string } }> };
      expect(checkOpenAIRecord(record)).toEqual([]);
      record.tools.forEach((tool) => sources.add(tool.function.name));
    }
    const card = await readFile(exported.cardPath, "utf8");
    expect(card).toMatch(/imported/);
    expect([...sources].some((name) => REAL_NAMES.test(name))).toBe(true);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
