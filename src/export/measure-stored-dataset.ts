import { readFile } from "node:fs/promises";
import type { DatasetRecord } from "../domain/dataset.js";
import type { EpisodeRecord } from "../domain/episode.js";
import { InputError } from "../errors/index.js";
import type { Store } from "../store/types.js";
import { checkTargets, measureRecords, measureTasks, type ExportedRecord, type RecordFigures, type TaskFigures } from "./dataset-figures.js";

/*
 * Issue 11's "done when", measured on a stored dataset: the section-4 figures over its export (OpenAI format),
 * the tasks' blueprints and shapes, the verification of its kept episodes, and how the calls of synthetic tools
 * were answered (by the environment, never by the tool-simulator model).
 */

/** The share of kept episodes that must be verifiable against their blueprint. */
export const MIN_APPLICABLE_SHARE = 0.8;

export interface VerificationFigures {
  /** Kept episodes. */
  episodes: number;
  applicable: number;
  stateMatches: number;
  /** Kept episodes verified against their blueprint whose state did not match (or that carry no verification). */
  unverified: string[];
}

export interface SyntheticToolFigures {
  /** Tool steps of synthetic tools, over every episode the dataset's filter saw. */
  steps: number;
  /** Of them, answered by the environment executor. */
  environment: number;
  /** Steps of synthetic tools answered otherwise, or with a model request: `episode id: tool (execution)`. */
  otherwise: string[];
  /** Requests the run's tool-simulator role made (any tool). */
  toolSimulatorRequests: number;
}

export interface DatasetMeasurement {
  dataset: { id: string; name: string; exportPath: string };
  records: RecordFigures;
  tasks: TaskFigures;
  verification: VerificationFigures;
  syntheticTools: SyntheticToolFigures;
  /** Targets missed, in words (empty when all hold). */
  misses: string[];
}

/** Measure a stored dataset (the newest unless named) over its latest export, or over the OpenAI-format export file given. */
export async function measureStoredDataset(store: Store, options: { datasetId?: string | undefined; exportFile?: string | undefined } = {}): Promise<DatasetMeasurement> {
  const dataset = options.datasetId ? await store.datasets.require(options.datasetId) : newest(await store.datasets.all());
  const latest = dataset.exports[dataset.exports.length - 1];
  if (!options.exportFile && latest && latest.format !== "openai") {
    throw new InputError(`dataset ${dataset.id} was last exported as ${latest.format}; export it as openai or pass the file of an openai export`);
  }
  const files = options.exportFile ? [options.exportFile] : (latest?.files?.map((file) => file.path) ?? (latest ? [latest.path] : []));
  if (files.length === 0) throw new InputError(`dataset ${dataset.id} has not been exported; export it (format openai) or pass the export file`);
  const lines = (await Promise.all(files.map((file) => readFile(file, "utf8")))).flatMap((text) => text.split("\n")).filter((line) => line.trim() !== "");
  const records = measureRecords(lines.map((line) => JSON.parse(line) as ExportedRecord));
  const tasks = measureTasks(await store.tasks.all());
  const kept = new Set(dataset.episodeIds);
  const seen = new Set([...kept, ...dataset.rejected.map((entry) => entry.episodeId)]);
  const episodes = await store.episodes.find((episode) => seen.has(episode.id));
  const verification = measureVerification(episodes.filter((episode) => kept.has(episode.id)));
  const run = dataset.runId ? await store.runs.get(dataset.runId) : undefined;
  const synthetic = new Set((await store.tools.all()).filter((tool) => tool.source === "synthetic").map((tool) => tool.id));
  const syntheticTools = { ...measureSyntheticSteps(episodes, synthetic), toolSimulatorRequests: run?.usage.toolSimulator?.requests ?? 0 };
  return {
    dataset: { id: dataset.id, name: dataset.name, exportPath: files[0] as string },
    records,
    tasks,
    verification,
    syntheticTools,
    misses: [...checkTargets(records, tasks), ...checkVerification(verification), ...checkSyntheticTools(syntheticTools)],
  };
}

function newest(datasets: readonly DatasetRecord[]): DatasetRecord {
  const last = [...datasets].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).pop();
  if (!last) throw new InputError("the store holds no dataset: run the pipeline first (npm start)");
  return last;
}

export function measureVerification(kept: readonly EpisodeRecord[]): VerificationFigures {
  const applicable = kept.filter((episode) => episode.verification?.applicable === true);
  return {
    episodes: kept.length,
    applicable: applicable.length,
    stateMatches: applicable.filter((episode) => episode.verification?.stateMatches === true).length,
    unverified: kept.filter((episode) => !episode.verification || (episode.verification.applicable && episode.verification.stateMatches !== true)).map((episode) => episode.id),
  };
}

export function measureSyntheticSteps(episodes: readonly EpisodeRecord[], syntheticToolIds: ReadonlySet<string>): Omit<SyntheticToolFigures, "toolSimulatorRequests"> {
  let steps = 0;
  let environment = 0;
  const otherwise: string[] = [];
  for (const episode of episodes) {
    for (const step of episode.steps) {
      if (!step.tool?.toolId || !syntheticToolIds.has(step.tool.toolId)) continue;
      steps++;
      if (step.tool.execution === "environment" && !step.model) environment++;
      else otherwise.push(`${episode.id}: ${step.tool.toolName} (${step.tool.execution}${step.model ? `, answered by ${step.model.provider}/${step.model.model}` : ""})`);
    }
  }
  return { steps, environment, otherwise };
}

function checkVerification(figures: VerificationFigures): string[] {
  const misses: string[] = [];
  if (figures.unverified.length > 0) misses.push(`${figures.unverified.length} kept episode(s) neither matching their blueprint's state nor marked not applicable: ${figures.unverified.slice(0, 5).join(", ")}`);
  const share = figures.episodes > 0 ? figures.applicable / figures.episodes : 0;
  if (share < MIN_APPLICABLE_SHARE) misses.push(`share of kept episodes verifiable against their blueprint is ${share.toFixed(2)}, below ${MIN_APPLICABLE_SHARE}`);
  return misses;
}

function checkSyntheticTools(figures: SyntheticToolFigures): string[] {
  return figures.otherwise.length > 0 ? [`${figures.otherwise.length} call(s) of synthetic tools not answered by the environment alone: ${figures.otherwise.slice(0, 5).join("; ")}`] : [];
}
