import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, open, readFile, realpath, rename, unlink, type FileHandle } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { StoreLockedError } from "../errors/store-locked-error.js";
import { describeHolder, describeThisProcess, isHolderAlive, LockHolderSchema, type LockHolder } from "./lock-holder.js";
import { errorCode } from "../errors/describe-error.js";

export const LOCK_FILE_NAME = "store.lock";

/** Exclusive hold of a data directory by this process. */
export interface DataDirLock {
  readonly file: string;
  /** Deletes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Real paths of the directories this process holds. A lock file naming our own pid is ours only if
 * it is in here; otherwise it was left by an earlier process that had the same pid (container restart).
 */
const heldByThisProcess = new Set<string>();

const MAX_ATTEMPTS = 5;
/** A lock file is empty for a moment between its creation and its content; wait this long before calling it garbage. */
const UNREADABLE_RETRIES = 10;
const RETRY_DELAY_MS = 50;

/**
 * Takes `<directory>/store.lock`, created atomically with open(…, "wx"). A lock held by a live process
 * (or one on another host, which cannot be checked) is refused with StoreLockedError; a lock whose holder
 * is dead is stale and taken over. The lock is also deleted at process exit, as a best effort.
 */
export async function acquireDataDirLock(directory: string): Promise<DataDirLock> {
  const key = await realpath(directory);
  const file = join(directory, LOCK_FILE_NAME);
  if (heldByThisProcess.has(key)) throw new StoreLockedError(directory, `this process (pid ${process.pid}): close the store opened earlier first`);
  const holder = describeThisProcess(randomUUID(), new Date());
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    if (await tryCreateLock(file, key, holder)) return watchLock(file, key, holder);
    const existing = await readExistingLock(file);
    if (existing === undefined) continue; // released in the meantime: try again
    if (existing.holder !== undefined && isLockLive(existing.holder, key)) {
      const hint = existing.holder.hostname === hostname() ? "" : `; if that process is gone, delete ${file}`;
      throw new StoreLockedError(directory, `${describeHolder(existing.holder)}${hint}`);
    }
    await removeStaleLock(file, existing.text);
  }
  throw new StoreLockedError(directory, `other processes (${file} kept changing hands)`);
}

function isLockLive(holder: LockHolder, key: string): boolean {
  if (holder.pid === process.pid && holder.hostname === hostname()) return heldByThisProcess.has(key);
  return isHolderAlive(holder);
}

async function tryCreateLock(file: string, key: string, holder: LockHolder): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, "wx");
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
  heldByThisProcess.add(key); // at once, before the content is written: see isLockLive
  try {
    await handle.writeFile(`${JSON.stringify(holder, null, 2)}\n`);
    await handle.sync();
  } catch (error) {
    heldByThisProcess.delete(key);
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
}

/** The lock file's text and holder; holder undefined when it stays unparsable (its writer died mid-creation); undefined when gone. */
async function readExistingLock(file: string): Promise<{ text: string; holder: LockHolder | undefined } | undefined> {
  let text = "";
  for (let attempt = 0; attempt < UNREADABLE_RETRIES; attempt += 1) {
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (errorCode(error) === "ENOENT") return undefined;
      throw error;
    }
    const holder = parseHolder(text);
    if (holder !== undefined) return { text, holder };
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
  }
  return { text, holder: undefined };
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const result = LockHolderSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock without removing a fresh one: two processes may both find the same stale lock,
 * and the slower one must not delete the lock the faster one has just created. So the lock is first
 * moved aside (atomic) and checked: if it is not the stale one we read, it is put back with link(),
 * which fails rather than overwrite a lock a third process took in the meantime.
 */
async function removeStaleLock(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return;
    throw error;
  }
  const moved = await readFile(aside, "utf8").catch(() => undefined);
  if (moved !== staleText) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

function watchLock(file: string, key: string, holder: LockHolder): DataDirLock {
  let released = false;
  const releaseAtExit = (): void => {
    if (released) return;
    released = true;
    removeOwnLockSync(file, holder.token);
  };
  process.once("exit", releaseAtExit);
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      process.off("exit", releaseAtExit);
      try {
        if (parseHolder(await readFile(file, "utf8").catch(() => ""))?.token === holder.token) await unlink(file);
      } finally {
        heldByThisProcess.delete(key);
      }
    },
  };
}

/** At exit only synchronous work runs. */
function removeOwnLockSync(file: string, token: string): void {
  try {
    if (parseHolder(readFileSync(file, "utf8"))?.token === token) unlinkSync(file);
  } catch {
    // best effort: a lock left behind is stale once this process is gone
  }
}
