import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { DatasetRecord } from "../src/domain/dataset.js";
import { checkTargets, measureRecords, measureTasks, type ExportedRecord, type RecordFigures, type TaskFigures } from "../src/export/dataset-figures.js";
import { defaultDataDir, openStore } from "../src/store/index.js";
import type { Store } from "../src/store/types.js";

/*
 * `npm run measure [-- --data-dir DIR] [--dataset ID] [--export FILE]`: the figures of a dataset (issue 11,
 * section 4) from its export and the store: tool calls and user turns per record, chained, parallel and
 * tool-free records, answers that contradict their tool results, and the tasks' blueprints and shapes.
 * Exits 1 when a target is missed.
 */

export interface DatasetMeasurement {
  dataset: { id: string; name: string; exportPath: string };
  records: RecordFigures;
  tasks: TaskFigures;
  /** Kept episodes checked against their blueprint, and how many matched. */
  verification: { episodes: number; applicable: number; stateMatches: number };
  misses: string[];
}

/** Measure a stored dataset (the newest one unless named) over its latest export, or the export file given. */
export async function measureDataset(store: Store, options: { datasetId?: string | undefined; exportFile?: string | undefined } = {}): Promise<DatasetMeasurement> {
  const dataset = options.datasetId ? await store.datasets.require(options.datasetId) : newest(await store.datasets.all());
  const exportPath = options.exportFile ?? dataset.exports[dataset.exports.length - 1]?.path;
  if (!exportPath) throw new Error(`dataset ${dataset.id} has not been exported; export it or pass --export FILE`);
  const lines = (await readFile(exportPath, "utf8")).split("\n").filter((line) => line.trim() !== "");
  const records = measureRecords(lines.map((line) => JSON.parse(line) as ExportedRecord));
  const tasks = measureTasks(await store.tasks.all());
  const kept = new Set(dataset.episodeIds);
  const episodes = await store.episodes.find((episode) => kept.has(episode.id));
  const verification = {
    episodes: episodes.length,
    applicable: episodes.filter((episode) => episode.verification?.applicable === true).length,
    stateMatches: episodes.filter((episode) => episode.verification?.stateMatches === true).length,
  };
  return { dataset: { id: dataset.id, name: dataset.name, exportPath }, records, tasks, verification, misses: checkTargets(records, tasks) };
}

function newest(datasets: readonly DatasetRecord[]): DatasetRecord {
  const last = [...datasets].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).pop();
  if (!last) throw new Error("the store holds no dataset: run the pipeline first (npm start)");
  return last;
}

export function renderMeasurement(measurement: DatasetMeasurement): string {
  const { records, tasks, verification } = measurement;
  const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
  return [
    `dataset ${measurement.dataset.name} (${measurement.dataset.id}), export ${measurement.dataset.exportPath}`,
    `records ${records.records}: ${records.toolCallsPerRecord.toFixed(2)} tool calls and ${records.userTurnsPerRecord.toFixed(2)} user turns per record`,
    `chained ${percent(records.chained)}, parallel ${percent(records.parallel)}, without tools ${percent(records.noTool)}; contradicting answers ${records.contradictions.length}`,
    ...records.contradictions.map((found) => `  record ${found.record}: ${found.kind}: ${found.detail}`),
    `tasks ${tasks.tasks}: ${tasks.withBlueprint} with a blueprint, ${tasks.withShape} with a shape; shapes ${Object.entries(tasks.shapes).map(([shape, count]) => `${shape} ${count}`).join(", ")}`,
    `kept episodes ${verification.episodes}: ${verification.applicable} verifiable, ${verification.stateMatches} in the state their blueprint leaves`,
    measurement.misses.length ? `targets missed:\n${measurement.misses.map((miss) => `  - ${miss}`).join("\n")}` : "every target of issue 11 section 4 holds",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "data-dir": { type: "string" }, dataset: { type: "string" }, export: { type: "string" } } });
  const store = await openStore({ dataDir: resolve(values["data-dir"] ?? defaultDataDir()) });
  try {
    const measurement = await measureDataset(store, { datasetId: values.dataset, exportFile: values.export });
    process.stdout.write(`${renderMeasurement(measurement)}\n`);
    process.exitCode = measurement.misses.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) await main();
