import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every file under a directory with the hash of its content, to show that nothing stored changed. */
export async function snapshotDirectory(directory: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "store.lock") continue;
    const path = join(entry.parentPath, entry.name);
    snapshot[relative(directory, path)] = createHash("sha256").update(await readFile(path)).digest("hex");
  }
  return snapshot;
}
