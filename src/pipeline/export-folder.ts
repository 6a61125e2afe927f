import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { DatasetRecord } from "../domain/dataset.js";
import { InputError } from "../errors/input-error.js";
import { VALIDATION_FILE } from "../export/write-export.js";
import type { Store } from "../store/types.js";

/** The (train) file of an export into a dataset's own folder. */
export const TRAIN_FILE = "train.jsonl";
const CARD_FILE = "README.md";

/** Where an export goes: a folder and the (train) file name in it, under the export root. */
export interface ExportTarget {
  /** The export root: nothing below it is written through a symbolic link. */
  root: string;
  directory: string;
  fileName: string;
}

/** The folder a dataset's export gets under an output folder: its name, made safe as one path segment. */
export function datasetFolder(dataset: Pick<DatasetRecord, "id" | "name">): string {
  const slug = dataset.name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+|-+$/g, "")
    .slice(0, 100);
  return slug === "" ? dataset.id : slug;
}

/**
 * `base`, or `base-2`, `base-3`, … : the first name no dataset of the store has and whose folder under `outDir`
 * holds no export, so a new dataset never lands on another's files.
 */
export async function chooseDatasetName(store: Store, base: string, outDir: string): Promise<string> {
  const taken = new Set((await store.datasets.all()).map((dataset) => dataset.name));
  for (let suffix = 1; ; suffix++) {
    const name = suffix === 1 ? base : `${base}-${suffix}`;
    if (!taken.has(name) && exportFilesIn(join(outDir, datasetFolder({ id: "", name })), TRAIN_FILE).length === 0) return name;
  }
}

/**
 * Refuse (unless forced) to write a dataset's export into a folder that holds another dataset's export, or
 * export files no dataset of this store wrote. Re-exporting a dataset over its own earlier export is fine.
 */
export async function assertFolderIsFree(store: Store, dataset: DatasetRecord, target: ExportTarget, force: boolean): Promise<void> {
  if (force) return;
  const present = exportFilesIn(target.directory, target.fileName);
  if (present.length === 0) return;
  const directory = resolve(target.directory);
  const owners = await store.datasets.find((stored) => stored.exports.some((entry) => dirname(resolve(entry.path)) === directory));
  const other = owners.find((owner) => owner.id !== dataset.id);
  if (owners.length > 0 && other === undefined) return;
  const holder = other ? `the export of dataset ${other.id} "${other.name}"` : `files this store did not export (${present.join(", ")})`;
  throw new InputError(`${directory} holds ${holder}; nothing was written. Give --force (MCP: force) to overwrite it, or choose another output folder`);
}

/** The export files (the train file, the validation split, the card) that exist in a folder. */
function exportFilesIn(directory: string, fileName: string): string[] {
  return [fileName, VALIDATION_FILE, CARD_FILE].filter((name) => existsSync(join(directory, name)));
}
