import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { EpisodeRecord } from "../src/domain/episode.js";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/types.js";
import { makeEpisode } from "../test/store/fixtures.js";

const SAMPLES = 50;
const SMALL = 1_000;
const LARGE = 20_000;
/** Appends in flight while filling: the store writes whatever is queued together, so filling is fast. */
const FILL_CHUNK = 1_000;

/**
 * Time to append one ~5 KB episode when 1,000 are stored vs when 20,000 are: the median of 50 sequential
 * appends at each size, and their ratio (1.0 means flat; rewriting everything on each insert would be ~20).
 * Both sizes are multiples of the shard size, so both series write shard positions 0–49 alike.
 */
export async function benchStore(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "agentsynth-bench-store-"));
  try {
    const store = await openStore({ dataDir: directory });
    const template = makeEpisode("template");
    const size = Buffer.byteLength(JSON.stringify(template));

    const fillSmall = await fill(store, template, 0, SMALL);
    const small = await measureAppends(store, template, "small");
    const fillLarge = await fill(store, template, SMALL + SAMPLES, LARGE);
    const large = await measureAppends(store, template, "large");

    const scanStart = performance.now();
    let scanned = 0;
    let peakHeap = 0;
    for await (const episode of store.episodes.scan()) {
      if (episode.id && ++scanned % 1_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const scanMs = performance.now() - scanStart;
    await store.close();

    const lines = [
      `store: append one ${(size / 1024).toFixed(1)} KB episode, median of ${SAMPLES} sequential appends (default shard size)`,
      `  with ${SMALL.toLocaleString("en")} stored:  ${small.toFixed(2)} ms`,
      `  with ${LARGE.toLocaleString("en")} stored: ${large.toFixed(2)} ms`,
      `  ratio ${LARGE / 1000}k / ${SMALL / 1000}k: ${(large / small).toFixed(2)} (1.00 = flat)`,
      `  filling with ${FILL_CHUNK} appends in flight: ${perSecond(SMALL, fillSmall)} and ${perSecond(LARGE - SMALL - SAMPLES, fillLarge)} episodes/s`,
      `  scan of ${scanned.toLocaleString("en")} episodes: ${(scanMs / 1000).toFixed(1)} s, heap peak ${(peakHeap / 2 ** 20).toFixed(0)} MB`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Appends episodes `from`…`to - 1`, FILL_CHUNK at a time; returns the milliseconds taken. */
async function fill(store: Store, template: EpisodeRecord, from: number, to: number): Promise<number> {
  const start = performance.now();
  for (let chunk = from; chunk < to; chunk += FILL_CHUNK) {
    const ids = Array.from({ length: Math.min(FILL_CHUNK, to - chunk) }, (_, offset) => `ep-${chunk + offset}`);
    await Promise.all(ids.map((id) => store.episodes.append({ ...template, id })));
  }
  return performance.now() - start;
}

/** Median milliseconds of SAMPLES sequential appends. */
async function measureAppends(store: Store, template: EpisodeRecord, label: string): Promise<number> {
  const times: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const start = performance.now();
    await store.episodes.append({ ...template, id: `measured-${label}-${sample}` });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return ((times[SAMPLES / 2 - 1] ?? 0) + (times[SAMPLES / 2] ?? 0)) / 2;
}

function perSecond(count: number, milliseconds: number): string {
  return Math.round((count / milliseconds) * 1000).toLocaleString("en");
}
