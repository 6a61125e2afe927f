import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/run.js";
import { openTestHost, SMALL_CONFIG, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const PET_GROOMING = JSON.parse(await readFile(join(REPO_ROOT, "test", "fixtures", "domains", "pet-grooming.json"), "utf8")) as Record<string, unknown>;

describe("create_domain from a host", () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await openTestHost();
  });
  afterAll(async () => host.close());

  it("adds a domain outside the taxonomy that synthesize_tools then grows", async () => {
    const created = structuredOf<{ id: string; name: string; title: string; category: string }>(await host.call("create_domain", PET_GROOMING));
    expect(created).toMatchObject({ name: "pet_grooming", title: "Pet Grooming Salon", category: "Pet Care" });
    const stored = await host.workspace.store.domains.require(created.id);
    expect(stored.provenance.source).toBe("authored");
    expect(stored.entities.map((entity) => entity.name)).toEqual(["appointment", "pet"]);
    const tools = structuredOf<{ tools: Array<{ name: string; domainId: string }> }>(await host.call("synthesize_tools", { domainIds: [created.id], perDomain: 4 }));
    expect(tools.tools).toHaveLength(4);
    for (const tool of tools.tools) expect(tool.domainId).toBe(created.id);
  });

  it.each([
    ["an invalid name and no entities", { ...PET_GROOMING, name: "Pet Grooming", entities: [] }, [/pattern .*name/, />=1 items at entities/]],
    ["a field of an entity without a schema", { ...PET_GROOMING, name: "pet_spa", entities: [{ name: "visit", plural: "visits", idPrefix: "VIS", description: "A visit.", fields: [{ name: "day", description: "The day." }] }] }, [/entities\[0\]\.fields\[0\]\.schema/]],
    ["a field it does not know", { ...PET_GROOMING, name: "pet_spa", organisation: "Spa" }, [/organisation/]],
    ["a name taken already", PET_GROOMING, [/there is a domain named "pet_grooming" already/]],
  ])("refuses %s with the reason, and stores nothing", async (_label, spec, messages) => {
    const before = await host.workspace.store.domains.count();
    const result = await host.client.callTool({ name: "create_domain", arguments: spec });
    expect(result.isError).toBe(true);
    for (const message of messages) expect(textOf(result as never)).toMatch(message);
    expect(await host.workspace.store.domains.count()).toBe(before);
  });
});

describe("run_pipeline", () => {
  it("returns the run summary the CLI prints, with the export in the dataset's own folder", async () => {
    const host = await openTestHost();
    try {
      const result = await host.call("run_pipeline", { seed: 4 });
      const summary = RunSummarySchema.parse(structuredOf(result));
      expect(summary).toMatchObject({ status: "completed", configName: "mcp-test", seed: 4 });
      expect(summary.export.directory).toBe(join(host.workspace.exportRoot, "mcp-test-seed4"));
      expect(summary.export.records).toBe(summary.counts.kept);
      expect(textOf(result)).toContain(`dataset ${summary.datasetId} "mcp-test-seed4" exported as openai to ${summary.export.directory}`);
    } finally {
      await host.close();
    }
  });

  it("is an error with the reason when the run has nothing to build agents from, and the run is marked failed", async () => {
    const host = await openTestHost({ config: { ...SMALL_CONFIG, tools: { sources: ["imported"] } } });
    try {
      const result = await host.client.callTool({ name: "run_pipeline", arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result as never)).toMatch(/^EMPTY_RESULT: the tool sources \(imported\) gave no usable tool/);
      const [run] = await host.workspace.store.runs.all();
      expect(run).toMatchObject({ status: "failed", error: expect.stringContaining("EMPTY_RESULT") });
    } finally {
      await host.close();
    }
  });
});
