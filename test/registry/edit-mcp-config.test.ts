import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { writeMcpServerEntry } from "../../src/registry/edit-mcp-config.js";

describe("writeMcpServerEntry", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "agentsynth-mcp-config-"));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  it("adds and removes one entry, keeping the rest of the file", async () => {
    const file = join(directory, "mcp.json");
    await writeFile(file, JSON.stringify({ $comment: "mine", mcpServers: { memory: { command: "node", args: ["memory.js"] } } }));
    await writeMcpServerEntry(file, "remote", { url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer ${TOKEN}" } });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      $comment: "mine",
      mcpServers: { memory: { command: "node", args: ["memory.js"] }, remote: { url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer ${TOKEN}" } } },
    });
    await writeMcpServerEntry(file, "memory", undefined);
    expect(JSON.parse(await readFile(file, "utf8")).mcpServers).toEqual({ remote: { url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer ${TOKEN}" } } });
  });

  it("creates a missing file", async () => {
    const file = join(directory, "new.json");
    await writeMcpServerEntry(file, "memory", { command: "node" });
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ mcpServers: { memory: { command: "node" } } });
  });

  it("refuses to touch a file that is not JSON, and leaves it as it was", async () => {
    const file = join(directory, "broken.json");
    await writeFile(file, "{ not json");
    await expect(writeMcpServerEntry(file, "memory", { command: "node" })).rejects.toThrow(InputError);
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });
});
