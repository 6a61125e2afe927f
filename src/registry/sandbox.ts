import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, cp, mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../errors/describe-error.js";
import { VIRTUAL_NOW } from "../support/virtual-paths.js";

/**
 * Make sure `<dataDir>/sandbox` exists (the folder the shipped `filesystem` server works in). When it does not,
 * it is created with copies of the seed files; an existing sandbox is never touched. `seedDir` is the seed
 * folder (`fixtures/sandbox`) or the fixtures folder that contains it. The copy is made under a temporary
 * name and renamed into place, so two processes never see a half-copied sandbox. Every file and folder of a new
 * sandbox gets the same access and modification time, SANDBOX_TIME, so what the filesystem server reports of
 * them (`get_file_info`, `list_directory_with_sizes`) does not depend on when or where the sandbox was laid out.
 */
export async function ensureSandbox(dataDir: string, seedDir: string): Promise<{ path: string; created: boolean }> {
  const path = join(dataDir, "sandbox");
  if (await isDirectory(path)) return { path, created: false };
  const nested = join(seedDir, "sandbox");
  const source = (await isDirectory(nested)) ? nested : seedDir;
  const temporary = join(dataDir, `.sandbox-${randomUUID().slice(0, 8)}.tmp`);
  await mkdir(dataDir, { recursive: true });
  try {
    if (await isDirectory(source)) await cp(source, temporary, { recursive: true });
    else await mkdir(temporary);
    await setTimesBelow(temporary, SANDBOX_TIME);
    await rename(temporary, path);
    return { path, created: true };
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    if (await isDirectory(path)) return { path, created: false };
    throw error;
  }
}

/** The access and modification time of every file and folder of a sandbox laid out from the seed files: the virtual machine's "now". */
export const SANDBOX_TIME = VIRTUAL_NOW;

/** Set the times of a folder's files and folders, deepest first (writing into a folder changes its time). */
async function setTimesBelow(folder: string, time: Date): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await setTimesBelow(path, time);
    else if (entry.isFile()) await utimes(path, time, time);
  }
  await utimes(folder, time, time);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Make sure `<dataDir>/<name>` exists, copied from `seedFile` when it does not (the shipped `memory`
 * server's knowledge graph); an existing file is never touched.
 */
export async function ensureSeedFile(dataDir: string, name: string, seedFile: string): Promise<{ path: string; created: boolean }> {
  const path = join(dataDir, name);
  await mkdir(dataDir, { recursive: true });
  try {
    await copyFile(seedFile, path, constants.COPYFILE_EXCL);
    await utimes(path, SANDBOX_TIME, SANDBOX_TIME);
    return { path, created: true };
  } catch (error) {
    if (errorCode(error) === "EEXIST") return { path, created: false };
    throw error;
  }
}
