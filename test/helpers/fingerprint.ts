import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every file under a folder with its size, mtime and content hash: what "untouched" means. */
export async function fingerprint(folder: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    result[relative(folder, path)] = `${info.size}:${info.mtimeMs}:${createHash("sha256").update(await readFile(path)).digest("hex")}`;
  }
  return result;
}
