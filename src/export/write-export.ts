import { basename, join } from "node:path";
import { resolveCallIdStyle, type ExportFormat } from "../domain/config.js";
import type { ExportFile } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolSpec } from "../domain/tool.js";
import { throwIfAborted } from "../support/concurrency.js";
import { makeDirectoryUnder, writeFileAtomic } from "../support/no-follow-files.js";
import type { VirtualPaths } from "../support/virtual-paths.js";
import type { ExportRecordOptions } from "./conversation.js";
import { renderDatasetCard, type DatasetCardInput } from "./dataset-card.js";
import { describeFormat, toExportRecord } from "./export-record.js";
import { JsonlWriter } from "./jsonl-writer.js";
import { chooseValidationPositions, type SplitSettings } from "./split.js";

export interface ExportFormatOptions extends ExportRecordOptions {
  /** The record format (default openai). */
  name?: ExportFormat | undefined;
}

export const VALIDATION_FILE = "validation.jsonl";

export interface WriteExportOptions {
  outDir: string;
  /** The export root `outDir` is in (default: outDir itself): no part of the path below it may be a symbolic link. */
  root?: string | undefined;
  /** The (train) JSONL file name. */
  fileName: string;
  episodes: Iterable<EpisodeRecord> | AsyncIterable<EpisodeRecord>;
  toolsFor: (episode: EpisodeRecord) => ToolSpec[];
  format: ExportFormatOptions;
  /** Send round(total × ratio) records, picked by a seeded shuffle of the positions, to `validation.jsonl`. */
  split?: (SplitSettings & { total: number }) | undefined;
  card: DatasetCardInput;
  /** Paths of the machine shown as virtual ones in every record (see VirtualPaths), so no record holds one. */
  paths?: VirtualPaths | undefined;
  signal?: AbortSignal | undefined;
  onRecord?: (written: number) => void;
}

export interface WrittenExport {
  /** The (train) file. */
  path: string;
  cardPath: string;
  /** Records over every file. */
  records: number;
  /** Of the (train) file. */
  sha256: string;
  files: ExportFile[];
}

/**
 * Stream episodes into `<outDir>/<fileName>` (and `validation.jsonl` when split) as JSONL records of the
 * format, one record in memory at a time, then write the dataset card `README.md` beside them. Files appear
 * under their names only when complete; a failure or cancellation leaves none behind. Nothing is written
 * through a symbolic link: the folders below the root are checked and made without following links, and
 * every file is written to a fresh temporary file and renamed into place.
 */
export async function writeExport(options: WriteExportOptions): Promise<WrittenExport> {
  await makeDirectoryUnder(options.root ?? options.outDir, options.outDir);
  const format = options.format.name ?? "openai";
  const callIdStyle = resolveCallIdStyle(options.format);
  const recordOptions: ExportRecordOptions = { includeSystemPrompt: options.format.includeSystemPrompt, includeReasoning: options.format.includeReasoning ?? false, kimiToolCallIds: callIdStyle === "kimi", callIdStyle };
  const train = await JsonlWriter.create(join(options.outDir, options.fileName));
  const validation = options.split ? await JsonlWriter.create(join(options.outDir, VALIDATION_FILE)).catch(async (error: unknown) => {
    await train.discard();
    throw error;
  }) : undefined;
  const validationPositions = options.split ? chooseValidationPositions(options.split.total, options.split) : new Set<number>();
  const writers = validation ? [train, validation] : [train];
  let position = 0;
  try {
    for await (const episode of options.episodes) {
      throwIfAborted(options.signal);
      const writer = validation && validationPositions.has(position) ? validation : train;
      const record = toExportRecord(format, episode, options.toolsFor(episode), recordOptions);
      await writer.write(options.paths ? options.paths.jsonToVirtual(record) : record);
      position++;
      options.onRecord?.(position);
    }
  } catch (error) {
    await Promise.all(writers.map((writer) => writer.discard()));
    throw error;
  }
  const trainFile: ExportFile = { split: "train", path: train.path, records: train.records, sha256: await train.commit() };
  const files = [trainFile];
  if (validation) files.push({ split: "validation", path: validation.path, records: validation.records, sha256: await validation.commit() });
  const cardPath = join(options.outDir, "README.md");
  await writeFileAtomic(
    cardPath,
    renderDatasetCard({
      ...options.card,
      counts: { ...options.card.counts, exported: position },
      fileName: options.fileName,
      format: describeFormat(format),
      formatName: format,
      files: files.map((file) => ({ split: file.split, fileName: basename(file.path), records: file.records })),
      options: { includeSystemPrompt: recordOptions.includeSystemPrompt, includeReasoning: recordOptions.includeReasoning ?? false, kimiToolCallIds: callIdStyle === "kimi", callIdStyle },
      split: options.split ? { validationRatio: options.split.validationRatio, seed: options.split.seed } : undefined,
    }),
  );
  return { path: train.path, cardPath, records: position, sha256: trainFile.sha256, files };
}
