import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../helpers/run-cli.js";

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "agentsynth-config-"));
});
afterAll(async () => rm(workdir, { recursive: true, force: true }));

interface ServerEntry {
  type?: string;
  command: string;
  args: string[];
}

describe("agentsynth config --host", () => {
  it.each([
    ["claude", "mcpServers", "claude_desktop_config.json"],
    ["cursor", "mcpServers", ".cursor/mcp.json"],
    ["kimi", "mcpServers", "kimi --mcp-config-file"],
    ["vscode", "servers", ".vscode/mcp.json"],
  ])("%s: prints the %s snippet with absolute paths", async (host, key, where) => {
    const result = await runCli(["config", "--host", host, "--data-dir", "data", "--config", "pipeline.json"], { cwd: workdir });
    expect(result.code).toBe(0);
    const snippet = JSON.parse(result.stdout) as Record<string, Record<string, ServerEntry>>;
    expect(Object.keys(snippet)).toEqual([key]);
    const entry = snippet[key]?.agentsynth as ServerEntry;
    expect(entry.command).toBe(process.execPath);
    expect(entry.args.slice(0, 2)).toEqual([CLI, "serve"]);
    expect(entry.args).toEqual([CLI, "serve", "--data-dir", join(workdir, "data"), "--out", join(workdir, "out"), "--config", join(workdir, "pipeline.json")]);
    expect(entry.args.filter((arg) => arg.includes("/")).every((path) => isAbsolute(path))).toBe(true);
    expect(existsSync(entry.args[0] as string)).toBe(true);
    if (host === "vscode") expect(entry.type).toBe("stdio");
    else expect(entry.type).toBeUndefined();
    expect(result.stderr).toContain(where);
  });

  it("passes --mcp-config on to the server as an absolute path", async () => {
    const result = await runCli(["config", "--host", "claude", "--data-dir", "data", "--mcp-config", "servers.json"], { cwd: workdir });
    expect(result.code).toBe(0);
    const entry = (JSON.parse(result.stdout) as { mcpServers: { agentsynth: ServerEntry } }).mcpServers.agentsynth;
    expect(entry.args.slice(-2)).toEqual(["--mcp-config", join(workdir, "servers.json")]);
  });

  it("an unknown or missing host exits 2 naming the choices", async () => {
    const unknown = await runCli(["config", "--host", "emacs"], { cwd: workdir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("claude, kimi, vscode, cursor");
    const missing = await runCli(["config"], { cwd: workdir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--host");
  });
});
