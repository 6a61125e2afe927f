import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, cp, mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../errors/describe-error.js";

/**
 * Make sure `<dataDir>/sandbox` exists (the folder the shipped `filesystem` server works in). When it does not,
 * it is created with copies of the seed files; an existing sandbox is never touched. `seedDir` is the seed
 * folder (`fixtures/sandbox`) or the fixtures folder that contains it. The copy is made under a temporary
 * name and renamed into place, so two processes never see a half-copied sandbox.
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
    await rename(temporary, path);
    return { path, created: true };
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    if (await isDirectory(path)) return { path, created: false };
    throw error;
  }
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
    return { path, created: true };
  } catch (error) {
    if (errorCode(error) === "EEXIST") return { path, created: false };
    throw error;
  }
}
