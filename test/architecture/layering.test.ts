import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { readImportGraph, type ImportEdge } from "./import-graph.js";
import { findCycles, findLayerViolations } from "./layering.js";

const SOURCE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

describe("the layering of src/ (DESIGN.md)", () => {
  it("imports only down the layers, never between stage folders", async () => {
    const edges = await readImportGraph(SOURCE_ROOT);
    expect(edges.length).toBeGreaterThan(500);
    expect(findLayerViolations(edges)).toEqual([]);
  });

  it("has no import cycle between files", async () => {
    expect(findCycles(await readImportGraph(SOURCE_ROOT)).map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});

describe("the layering rules", () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to });

  it("allows imports down the layers, within a folder, cli → mcp and the library entry over everything", () => {
    const allowed = [
      edge("judge/judge-episode.ts", "model/generate.ts"),
      edge("judge/judge-episode.ts", "judge/rule-criteria.ts"),
      edge("pipeline/workspace.ts", "simulate/simulate-tasks.ts"),
      edge("mcp/create-server.ts", "pipeline/workspace.ts"),
      edge("cli/commands/serve-command.ts", "mcp/transports/stdio.ts"),
      edge("support/concurrency.ts", "errors/cancelled-error.ts"),
      edge("world/state.ts", "domain/common.ts"),
      edge("simulate/tool-executor.ts", "world/state.ts"),
      edge("index.ts", "cli/main.ts"),
    ];
    expect(findLayerViolations(allowed)).toEqual([]);
  });

  it("names a sideways import between stage folders, file → file, with the rule", () => {
    expect(findLayerViolations([edge("judge/x.ts", "simulate/faults.ts")])).toEqual([
      "src/judge/x.ts → src/simulate/faults.ts: stage folders never import each other (judge → simulate); move what both need down to model, store, world or the base layer, or compose them in pipeline",
    ]);
  });

  it("keeps domain and errors free of our other folders", () => {
    expect(findLayerViolations([edge("domain/task.ts", "support/hash.ts"), edge("errors/describe-error.ts", "support/is-object.ts")])).toEqual([
      "src/domain/task.ts → src/support/hash.ts: domain may not reach sideways into support (both in layer 1 (domain, errors, support))",
      "src/errors/describe-error.ts → src/support/is-object.ts: errors may not reach sideways into support (both in layer 1 (domain, errors, support))",
    ]);
  });

  it("names an import up the layers and a sideways one outside the stages", () => {
    const [up, sideways, mcpToCli] = findLayerViolations([
      edge("store/catalog.ts", "pipeline/workspace.ts"),
      edge("model/generate.ts", "store/catalog.ts"),
      edge("mcp/create-server.ts", "cli/main.ts"),
    ]);
    expect(up).toMatch(/^src\/store\/catalog\.ts → src\/pipeline\/workspace\.ts: store \(layer 2 \(model, store, world\)\) may not import pipeline \(layer 4 \(pipeline\)\)/);
    expect(sideways).toBe("src/model/generate.ts → src/store/catalog.ts: model may not reach sideways into store (both in layer 2 (model, store, world))");
    expect(mcpToCli).toBe("src/mcp/create-server.ts → src/cli/main.ts: mcp may not reach sideways into cli (both in layer 5 (mcp, cli))");
  });

  it("keeps world on domain and support only, and the library entry unimported", () => {
    expect(findLayerViolations([edge("world/state.ts", "model/generate.ts"), edge("world/state.ts", "errors/input-error.ts"), edge("cli/main.ts", "index.ts")])).toEqual([
      "src/world/state.ts → src/model/generate.ts: world depends on domain and support only (DESIGN.md), not on model",
      "src/world/state.ts → src/errors/input-error.ts: world depends on domain and support only (DESIGN.md), not on errors",
      "src/cli/main.ts → src/index.ts: nothing imports the library entry src/index.ts; import the module it re-exports",
    ]);
  });

  it("refuses a folder DESIGN.md does not place", () => {
    expect(findLayerViolations([edge("helpers/x.ts", "domain/common.ts")])).toEqual([
      "src/helpers/x.ts → src/domain/common.ts: src/helpers/ is in no layer of DESIGN.md; add it to the layout and to LAYERS in test/architecture/layering.ts",
    ]);
  });

  it("finds every cycle between files and shows it as a closed path", () => {
    const cycles = findCycles([
      edge("simulate/a.ts", "simulate/b.ts"),
      edge("simulate/b.ts", "simulate/c.ts"),
      edge("simulate/c.ts", "simulate/a.ts"),
      edge("simulate/c.ts", "domain/d.ts"),
      edge("model/x.ts", "model/y.ts"),
      edge("model/y.ts", "model/x.ts"),
      edge("store/self.ts", "store/self.ts"),
      edge("filter/p.ts", "filter/q.ts"),
    ]);
    expect(cycles.map((cycle) => cycle.join(" → ")).sort()).toEqual([
      "src/model/x.ts → src/model/y.ts → src/model/x.ts",
      "src/simulate/a.ts → src/simulate/b.ts → src/simulate/c.ts → src/simulate/a.ts",
      "src/store/self.ts → src/store/self.ts",
    ]);
  });
});

describe("reading the import graph", () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("sees static, re-export, type-only, side-effect and dynamic imports, resolving .js to .ts and folders to index.ts", async () => {
    root = await mkdtemp(join(tmpdir(), "agentsynth-graph-"));
    const write = async (path: string, text: string): Promise<void> => {
      await mkdir(dirname(join(root as string, path)), { recursive: true });
      await writeFile(join(root as string, path), text);
    };
    await write("domain/index.ts", "export const a = 1;\n");
    await write("domain/b.ts", "export const b = 2;\n");
    await write("support/c.ts", "export type C = number;\n");
    await write("support/d.ts", "export {};\n");
    await write(
      "judge/x.ts",
      [
        'import { z } from "zod";',
        'import {',
        '  a,',
        '} from "../domain/index.js";',
        'export * from "../domain/b.js";',
        'import type { C } from "../support/c.js";',
        'import "../support/d.js";',
        '// import { never } from "../simulate/commented.js";',
        'export async function load(): Promise<unknown> { return import("../domain"); }',
        "export const used: C = a;",
      ].join("\n"),
    );
    const edges = await readImportGraph(root);
    expect(edges).toEqual([
      { from: "judge/x.ts", to: "domain/index.ts" },
      { from: "judge/x.ts", to: "domain/b.ts" },
      { from: "judge/x.ts", to: "support/c.ts" },
      { from: "judge/x.ts", to: "support/d.ts" },
      { from: "judge/x.ts", to: "domain/index.ts" },
    ]);
  });

  it("fails on a relative import that resolves to no file", async () => {
    root = await mkdtemp(join(tmpdir(), "agentsynth-graph-"));
    await mkdir(join(root, "judge"));
    await writeFile(join(root, "judge", "x.ts"), 'import { y } from "./missing.js";\n');
    await expect(readImportGraph(root)).rejects.toThrow('judge/x.ts imports "./missing.js", which resolves to no .ts file');
  });
});
