import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordingBook } from "../../src/simulate/recording-book.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";
import { makeTool } from "../helpers/records.js";

const clock = createFixedClock("2026-11-21T10:00:00.000Z");
const tool = makeTool("read_graph", { source: "real", origin: { originalName: "read_graph", configName: "memory" } });
const other = makeTool("search_nodes", { source: "real", origin: { originalName: "search_nodes", configName: "memory" } });

describe("RecordingBook", () => {
  let dataDir: string;
  let store: Store;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "agentsynth-recordings-"));
    store = await openStore({ dataDir });
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("stores real calls and finds them again by tool and arguments, in any key order", async () => {
    const book = new RecordingBook({ collection: store.recordings, ids: createSequentialIds(), clock });
    const first = await book.add({ tool, arguments: { query: "alice", limit: 5 }, result: { entities: [] }, isError: false, latencyMs: 12 });
    expect(first).toMatchObject({ kind: "recording", toolId: tool.id, serverName: "memory", originalName: "read_graph", isError: false });
    expect(book.find(tool.id, { limit: 5, query: "alice" })?.id).toBe(first.id);
    expect(book.find(tool.id, { query: "bob", limit: 5 })).toBeUndefined();
    expect(book.find(other.id, { query: "alice", limit: 5 })).toBeUndefined();
    expect(await store.recordings.count()).toBe(1);
  });

  it("loads only the recordings of the tools asked for, and gives distinct newest examples", async () => {
    const writer = new RecordingBook({ collection: store.recordings, ids: createSequentialIds(), clock });
    await writer.add({ tool, arguments: { query: "a" }, result: "first a", isError: false, latencyMs: 1 });
    await writer.add({ tool, arguments: { query: "b" }, result: "b", isError: false, latencyMs: 1 });
    await writer.add({ tool, arguments: { query: "a" }, result: "second a", isError: false, latencyMs: 1 });
    await writer.add({ tool: other, arguments: { query: "z" }, result: "z", isError: false, latencyMs: 1 });

    const book = await RecordingBook.load({ collection: store.recordings, toolIds: new Set([tool.id]), ids: createSequentialIds(), clock });
    expect(book.examples(tool.id, 5)).toEqual([
      { tool: "read_graph", arguments: { query: "a" }, result: "second a" },
      { tool: "read_graph", arguments: { query: "b" }, result: "b" },
    ]);
    expect(book.examples(tool.id, 1)).toHaveLength(1);
    expect(book.examples(other.id, 5)).toEqual([]);
    expect(book.find(tool.id, { query: "a" })?.result).toBe("second a");
  });
});
