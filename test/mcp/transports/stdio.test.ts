import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../../src/store/open-store.js";
import { sleep } from "../../../src/support/concurrency.js";
import { SMALL_CONFIG } from "../../helpers/mcp-client.js";
import { CLI } from "../../helpers/run-cli.js";
import { connectStdioHost } from "../../helpers/stdio-host.js";

let directory: string;
let client: Client;
let serverStderr: () => string;
const protocolErrors: Error[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  directory = await mkdtemp(join(tmpdir(), "agentsynth-stdio-"));
  await writeFile(join(directory, "pipeline.json"), JSON.stringify(SMALL_CONFIG));
  const host = await connectStdioHost(directory, "e2e-stdio-host", { onError: (error) => protocolErrors.push(error) });
  client = host.client;
  serverStderr = host.stderr;
});
afterAll(async () => {
  await client?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("agentsynth serve over stdio (the built CLI)", () => {
  it("lists every tool with input and output schemas and logs only to stderr", async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(29);
    expect(tools.every((tool) => tool.inputSchema.type === "object" && tool.outputSchema?.type === "object")).toBe(true);
    expect(serverStderr()).toContain("agentsynth MCP server on stdio");
    expect(protocolErrors).toEqual([]);
  });

  it("runs the pipeline with progress, reads an episode as a tool result and as a resource, lists the prompts", async () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const { tools } = await client.listTools();
    const validate = (name: string, result: CallToolResult): void => {
      const schema = tools.find((tool) => tool.name === name)?.outputSchema;
      const check = ajv.compile(schema ?? {});
      expect(check(result.structuredContent), JSON.stringify(check.errors)).toBe(true);
    };
    const progress: Progress[] = [];
    const run = (await client.callTool({ name: "run_pipeline", arguments: {} }, undefined, { onprogress: (event) => progress.push(event), resetTimeoutOnProgress: true })) as CallToolResult;
    expect(run.isError).toBeFalsy();
    validate("run_pipeline", run);
    expect(progress.length).toBeGreaterThan(3);
    expect(run.structuredContent).toMatchObject({ status: "completed", export: { path: join(directory, "exports", "mcp-test-seed11", "train.jsonl") } });

    const listed = (await client.callTool({ name: "list_episodes", arguments: { limit: 1 } })) as CallToolResult;
    validate("list_episodes", listed);
    const episodeId = (listed.structuredContent as { items: Array<{ id: string }> }).items[0]?.id as string;
    const episode = (await client.callTool({ name: "get_episode", arguments: { episodeId } })) as CallToolResult;
    validate("get_episode", episode);
    const resource = await client.readResource({ uri: `agentsynth://episodes/${episodeId}` });
    const contents = resource.contents[0];
    // The tool adds the episode's newest verdict (the run judged it); the resource is the stored episode.
    const { judgment, ...stored } = episode.structuredContent as { judgment?: { verdict: string } };
    expect(judgment?.verdict).toMatch(/^(pass|fail)$/);
    expect(JSON.parse(contents && "text" in contents ? contents.text : "{}")).toEqual(stored);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(["author_scenario", "review_episode", "design_rubric"]);
    expect(protocolErrors).toEqual([]);
  });

  it("exits when the client closes stdin, releasing the data directory", async () => {
    await client.close();
    let store;
    for (let attempt = 0; attempt < 100 && !store; attempt++) {
      store = await openStore({ dataDir: join(directory, "data") }).catch(() => undefined);
      if (!store) await sleep(100);
    }
    expect(store).toBeDefined();
    expect(await store?.episodes.count()).toBe(3);
    await store?.close();
  });
});
