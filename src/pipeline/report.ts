import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { DatasetRecord } from "../domain/dataset.js";
import type { ReportLocation, ReportScope, ReportSummary } from "../domain/report.js";
import { findDataset } from "../export/export-stored-dataset.js";
import { readReportMarker } from "../export/report/report-files.js";
import { REPORT_FORMAT } from "../export/report/report-model.js";
import { writeReport } from "../export/report/write-report.js";
import { datasetFolder } from "./export-folder.js";
import { resolveUnderRoot } from "./export-path.js";
import type { OperationOptions } from "./operation-options.js";
import { reportAssetsPath } from "./package-paths.js";
import type { WorkspaceContext } from "./workspace-context.js";

/** The folder of a report inside the export folder of what it covers: `<out>/<dataset name>/report`. */
export const REPORT_FOLDER = "report";

export interface WriteReportInput {
  /** The dataset (default: the newest; every stored episode when the store has none). */
  datasetId?: string | undefined;
  /** Instead of a dataset: the episodes a run simulated (with the run's dataset, if it made one). */
  runId?: string | undefined;
  /** A folder under the export root (default: the root); the report goes to `<out>/<dataset name>/report/` (a run's: `<out>/<run id>/report/`). */
  out?: string | undefined;
}

/**
 * Write the browsable HTML report of a dataset, a run or the whole store (`agentsynth report`, MCP
 * `write_report`): streamed from the store into `<out>/<dataset name>/report/`, next to the dataset's export.
 */
export async function writeWorkspaceReport(context: WorkspaceContext, input: WriteReportInput, options: OperationOptions): Promise<ReportSummary> {
  const out = resolveUnderRoot(context.exportRoot, input.out ?? ".", { allowRoot: true });
  const folder = await folderOf(context, input);
  return writeReport({
    store: context.store,
    datasetId: input.datasetId,
    runId: input.runId,
    directory: join(out, folder, REPORT_FOLDER),
    root: context.exportRoot,
    assetsDirectory: reportAssetsPath(),
    clock: context.clock,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

/** Where the report of a dataset (default: the newest) is under the export root, and whether it is written. */
export async function locateReport(context: WorkspaceContext, datasetId?: string): Promise<ReportLocation> {
  const dataset = datasetId !== undefined || (await context.store.datasets.count()) > 0 ? await findDataset(context.store, datasetId) : undefined;
  const directory = join(context.exportRoot, dataset ? datasetFolder(dataset) : "", REPORT_FOLDER);
  const indexPath = join(directory, "index.html");
  return {
    ...(dataset ? { datasetId: dataset.id, datasetName: dataset.name } : {}),
    directory,
    indexPath,
    fileUrl: pathToFileURL(indexPath).href,
    written: existsSync(indexPath) && (await isReportOf(directory, dataset)),
    howToWrite: `agentsynth report${dataset ? ` --dataset ${dataset.id}` : ""} (MCP: write_report${dataset ? ` with datasetId ${dataset.id}` : ""})`,
  };
}

/** Whether a folder holds a current report of that dataset (or, without one, of the whole store). */
async function isReportOf(directory: string, dataset: DatasetRecord | undefined): Promise<boolean> {
  const marker = await readReportMarker(directory);
  const scope = marker?.scope as ReportScope | undefined;
  if (marker?.format !== REPORT_FORMAT || !scope) return false;
  return dataset ? scope.kind === "dataset" && scope.datasetId === dataset.id : scope.kind === "all";
}

/** The export folder of what a report covers: the dataset's own, the run's id, or the root for the whole store. */
async function folderOf(context: WorkspaceContext, input: WriteReportInput): Promise<string> {
  if (input.runId !== undefined) return (await context.store.runs.require(input.runId)).id;
  if (input.datasetId === undefined && (await context.store.datasets.count()) === 0) return "";
  return datasetFolder(await findDataset(context.store, input.datasetId));
}
