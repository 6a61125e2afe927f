import { appendFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../src/model/language-model.js";
import { ResponseCache, withResponseCache } from "../../src/model/response-cache.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-cache-"));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A model that answers with the number of requests it was sent. */
function countingModel(): LanguageModel & { sent: number } {
  const model = {
    sent: 0,
    ref: { provider: "openai", model: "m" },
    async generate(request: ModelRequest): Promise<ModelResponse> {
      model.sent++;
      return { content: `answer ${model.sent} to ${request.messages.at(-1)?.content ?? ""}`, toolCalls: [], finishReason: "stop", usage: { inputTokens: 10, outputTokens: 5 }, model: model.ref, latencyMs: 3 };
    },
  };
  return model;
}

const ask = (content: string, seed = 1): ModelRequest => ({ purpose: "agent-turn", messages: [{ role: "user", content }], seed });

describe("the response cache", () => {
  it("answers a request asked before from the data directory, in a later process too; another seed or model settings are asked anew", async () => {
    const directory = await tempDirectory();
    const model = countingModel();
    const cache = new ResponseCache(directory);
    const cached = withResponseCache(model, cache, "settings-a");
    const first = await cached.generate(ask("hello"));
    expect(first.cached).toBeUndefined();
    expect((await cached.generate(ask("hello"))).content).toBe(first.content);
    expect(model.sent).toBe(1);
    await cache.close();

    const later = new ResponseCache(directory);
    cleanups.push(() => later.close());
    const again = await withResponseCache(model, later, "settings-a").generate(ask("hello"));
    expect(again).toMatchObject({ content: first.content, cached: true, latencyMs: 0 });
    expect(model.sent).toBe(1);
    await withResponseCache(model, later, "settings-a").generate(ask("hello", 2));
    await withResponseCache(model, later, "settings-b").generate(ask("hello"));
    expect(model.sent).toBe(3);
  });

  it("skips a line torn by a killed writer and keeps the others", async () => {
    const directory = await tempDirectory();
    const model = countingModel();
    const cache = new ResponseCache(directory);
    await withResponseCache(model, cache, "s").generate(ask("one"));
    await cache.close();
    const [segment] = await readdir(directory);
    await appendFile(join(directory, segment as string), '{"key":"0123456789abcdef0123456789abcdef","response":{"content":"to');

    const later = new ResponseCache(directory);
    cleanups.push(() => later.close());
    await withResponseCache(model, later, "s").generate(ask("one"));
    expect(model.sent).toBe(1);
  });

  it("never fails a request: a cache that cannot be written warns once and answers nothing from then on", async () => {
    const directory = await tempDirectory();
    const blocked = join(directory, "not-a-directory");
    await writeFile(blocked, "a file where the cache folder should be");
    const warnings: string[] = [];
    const model = countingModel();
    const cache = new ResponseCache(blocked, { onWarning: (message) => warnings.push(message) });
    const cached = withResponseCache(model, cache, "s");
    await cached.generate(ask("one"));
    await cached.generate(ask("one"));
    await cache.close();
    expect(model.sent).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("response cache");
  });
});
