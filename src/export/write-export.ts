import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolSpec } from "../domain/tool.js";
import { throwIfAborted } from "../support/concurrency.js";
import { renderDatasetCard, type DatasetCard } from "./dataset-card.js";
import { toOpenAIRecord, type OpenAIFormatOptions } from "./openai-format.js";

export interface WriteExportOptions {
  outDir: string;
  fileName: string;
  episodes: Iterable<EpisodeRecord> | AsyncIterable<EpisodeRecord>;
  toolsFor: (episode: EpisodeRecord) => ToolSpec[];
  format: OpenAIFormatOptions;
  card: Omit<DatasetCard, "fileName" | "format">;
  signal?: AbortSignal | undefined;
  onRecord?: (written: number) => void;
}

export interface WrittenExport {
  path: string;
  cardPath: string;
  records: number;
  sha256: string;
}

/**
 * Stream episodes into `<outDir>/<fileName>` as OpenAI chat JSONL (one record in memory at a time), then
 * write the dataset card beside it. The JSONL is written to a temporary name and renamed at the end, so a
 * crash or cancellation never leaves a half-written export under the final name.
 */
export async function writeExport(options: WriteExportOptions): Promise<WrittenExport> {
  await mkdir(options.outDir, { recursive: true });
  const path = join(options.outDir, options.fileName);
  const partial = `${path}.partial`;
  const hash = createHash("sha256");
  const stream = createWriteStream(partial, { encoding: "utf8" });
  let records = 0;
  try {
    for await (const episode of options.episodes) {
      throwIfAborted(options.signal);
      const line = `${JSON.stringify(toOpenAIRecord(episode, options.toolsFor(episode), options.format))}\n`;
      hash.update(line);
      if (!stream.write(line)) await once(stream, "drain");
      records++;
      options.onRecord?.(records);
    }
    stream.end();
    await once(stream, "finish");
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, path);
  const cardPath = join(options.outDir, "README.md");
  await writeFile(cardPath, renderDatasetCard({ ...options.card, counts: { ...options.card.counts, exported: records }, fileName: options.fileName, format: "OpenAI chat fine-tuning JSONL" }));
  return { path, cardPath, records, sha256: hash.digest("hex") };
}
