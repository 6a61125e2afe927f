import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureStoredDataset, type DatasetMeasurement } from "../src/export/measure-stored-dataset.js";
import { defaultDataDir, openStore } from "../src/store/index.js";

/*
 * `npm run measure [-- --data-dir DIR] [--dataset ID] [--export FILE]`: issue 11's figures of a stored dataset
 * (the newest unless named) over its OpenAI-format export: tool calls and user turns per record, chained,
 * parallel and tool-free records, answers that contradict their tool results, the tasks' blueprints and shapes,
 * the verification of the kept episodes, and how synthetic tools were answered. Exits 1 when a target is missed.
 */

export function renderMeasurement(measurement: DatasetMeasurement): string {
  const { records, tasks, verification, syntheticTools } = measurement;
  const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;
  return [
    `dataset ${measurement.dataset.name} (${measurement.dataset.id}), export ${measurement.dataset.exportPath}`,
    `records ${records.records}: ${records.toolCallsPerRecord.toFixed(2)} tool calls and ${records.userTurnsPerRecord.toFixed(2)} user turns per record`,
    `chained ${percent(records.chained)}, parallel ${percent(records.parallel)}, without tools ${percent(records.noTool)}; contradicting answers ${records.contradictions.length}`,
    ...records.contradictions.map((found) => `  record ${found.record}: ${found.kind}: ${found.detail}`),
    `tasks ${tasks.tasks}: ${tasks.withBlueprint} with a blueprint, ${tasks.withShape} with a shape; ${Object.keys(tasks.shapes).length} shapes: ${Object.entries(tasks.shapes).map(([shape, count]) => `${shape} ${count}`).join(", ")}`,
    `kept episodes ${verification.episodes}: ${verification.applicable} verifiable (${percent(verification.episodes ? verification.applicable / verification.episodes : 0)}), ${verification.stateMatches} in the state their blueprint leaves, ${verification.episodes - verification.applicable} not applicable`,
    `synthetic tool calls ${syntheticTools.steps}: ${syntheticTools.environment} answered by the environment; tool-simulator requests in the run: ${syntheticTools.toolSimulatorRequests}`,
    measurement.misses.length ? `targets missed:\n${measurement.misses.map((miss) => `  - ${miss}`).join("\n")}` : "every target of issue 11 holds",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "data-dir": { type: "string" }, dataset: { type: "string" }, export: { type: "string" } } });
  const store = await openStore({ dataDir: resolve(values["data-dir"] ?? defaultDataDir()) });
  try {
    const measurement = await measureStoredDataset(store, { datasetId: values.dataset, exportFile: values.export });
    process.stdout.write(`${renderMeasurement(measurement)}\n`);
    process.exitCode = measurement.misses.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) await main();
