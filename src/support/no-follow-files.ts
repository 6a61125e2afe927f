import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError } from "../errors/input-error.js";
import { errorCode } from "../errors/describe-error.js";

/**
 * Make `directory` and its missing parents below `root`, following no symbolic link: every part of the path
 * under the root is checked with lstat (a link planted there, even one pointing back inside, is refused) and
 * made one level at a time. The root itself is the user's choice and is made as it is, links and all.
 */
export async function makeDirectoryUnder(root: string, directory: string): Promise<void> {
  const base = resolve(root);
  const target = resolve(directory);
  const inside = relative(base, target);
  if (inside.startsWith("..") || isAbsolute(inside)) throw new InputError(`${target} is not under ${base}`);
  await mkdir(base, { recursive: true });
  let current = base;
  for (const part of inside === "" ? [] : inside.split(sep)) {
    current = join(current, part);
    await makeOneLevel(current);
  }
}

async function makeOneLevel(path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) throw new InputError(`${path} is a symbolic link; exports never follow links below the export root: remove it or choose another folder`);
      if (!stats.isDirectory()) throw new InputError(`${path} is not a folder; choose another output folder`);
      return;
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    try {
      await mkdir(path);
      return;
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error; // made meanwhile: check what it is
    }
  }
}

/**
 * A new file beside `path` under a fresh random name, created exclusively and never through a link
 * (O_CREAT | O_EXCL | O_NOFOLLOW): whatever was planted in the folder, nothing outside it is written.
 */
export async function openTemporaryBeside(path: string, suffix: string): Promise<{ path: string; handle: FileHandle }> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}${suffix}`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  return { path: temporary, handle: await open(temporary, flags, 0o644) };
}

/**
 * Write a whole file atomically, durably and without following links: a fresh temporary file, fsynced, then a
 * rename over `path`, then an fsync of the folder so the rename itself is on the device.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = await openTemporaryBeside(path, ".tmp");
  try {
    await temporary.handle.writeFile(text, "utf8");
    await temporary.handle.sync();
    await temporary.handle.close();
  } catch (error) {
    await temporary.handle.close().catch(() => undefined);
    await rm(temporary.path, { force: true });
    throw error;
  }
  await commitTemporary(temporary.path, path);
}

/**
 * Move a written, closed temporary file over `path` durably: its content fsynced first (it is reopened without
 * following links), the rename (which replaces whatever is at `path`, a planted link included, and never writes
 * through it), then an fsync of the folder. The temporary file is removed when any step fails.
 */
export async function commitTemporary(temporary: string, path: string): Promise<void> {
  try {
    await syncFile(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFile(dirname(path), constants.O_DIRECTORY);
}

/** fsync a file (or, with O_DIRECTORY, a folder's entries) by path, following no link. */
async function syncFile(path: string, extraFlags = 0): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | extraFlags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
