import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import type { IndexRow, ReportManifest } from "../../../src/export/report/report-model.js";

/** Run a report's data file as the page would, and return the name and payload it registers. */
export async function readDataFile<T = unknown>(directory: string, name: string): Promise<T> {
  const calls: Array<[string, unknown]> = [];
  runInNewContext(await readFile(join(directory, "data", `${name}.js`), "utf8"), { agentsynthReport: { receive: (page: string, payload: unknown) => calls.push([page, payload]) } });
  if (calls.length !== 1 || calls[0]?.[0] !== name) throw new Error(`data/${name}.js registered ${JSON.stringify(calls.map(([page]) => page))}, expected ${name}`);
  return calls[0][1] as T;
}

export function readManifest(directory: string): Promise<ReportManifest> {
  return readDataFile<ReportManifest>(directory, "manifest");
}

/** Every row of the report's list, page after page. */
export async function readRows(directory: string, manifest: ReportManifest): Promise<IndexRow[]> {
  const rows: IndexRow[] = [];
  for (let page = 1; page <= manifest.pages.index; page++) rows.push(...(await readDataFile<IndexRow[]>(directory, `index-${String(page).padStart(4, "0")}`)));
  return rows;
}
