import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, open, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { hostname } from "node:os";
import { StoreLockedError } from "../errors/store-locked-error.js";
import { describeHolder, describeThisProcess, isHolderAlive, LockHolderSchema, type LockHolder } from "./lock-holder.js";
import { errorCode } from "../errors/describe-error.js";

/**
 * The lock file of agentsynth versions that held a whole data directory for one process. This version never
 * takes it; it only refuses a directory that such an older process still holds (see assertNoLegacyHolder).
 */
export const LOCK_FILE_NAME = "store.lock";

/** A short hold of one lock file (a catalog being rewritten). */
export interface FileLock {
  readonly file: string;
  /** Deletes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** Give up after this long with StoreLockedError naming the holder (default 30 s). */
  timeoutMs?: number | undefined;
}

/**
 * Tokens of the locks this process holds. A lock file naming our own pid is ours only if its token is in
 * here; otherwise it was left by an earlier process that had the same pid (container restart).
 */
const heldByThisProcess = new Set<string>();

const DEFAULT_TIMEOUT_MS = 30_000;
/** A lock file is empty for a moment between its creation and its content; wait this long before calling it garbage. */
const UNREADABLE_RETRIES = 10;
const RETRY_DELAY_MS = 50;
const FIRST_WAIT_MS = 2;
const LONGEST_WAIT_MS = 50;

/**
 * Takes `file`, created atomically with open(…, "wx"), waiting while a live process (this one included)
 * holds it. A lock whose holder is dead is stale and taken over. Held only for the moment of one catalog
 * write, so a wait is short; after `timeoutMs` the holder is named in a StoreLockedError. The lock is also
 * deleted at process exit, as a best effort.
 */
export async function acquireFileLock(file: string, options: AcquireLockOptions = {}): Promise<FileLock> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const holder = describeThisProcess(randomUUID(), new Date());
  let wait = FIRST_WAIT_MS;
  for (;;) {
    if (await tryCreateLock(file, holder)) return watchLock(file, holder);
    const existing = await readExistingLock(file);
    if (existing === undefined) continue; // released in the meantime: try again
    if (existing.holder === undefined || !isLockLive(existing.holder)) {
      await removeStaleLock(file, existing.text);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(file, existing.holder);
    await sleep(wait);
    wait = Math.min(LONGEST_WAIT_MS, wait * 2);
  }
}

/** Runs `task` holding `file`. */
export async function withFileLock<R>(file: string, task: () => Promise<R>, options?: AcquireLockOptions): Promise<R> {
  const lock = await acquireFileLock(file, options);
  try {
    return await task();
  } finally {
    await lock.release();
  }
}

/**
 * Refuses a data directory that a live process of an older agentsynth holds for itself (`store.lock`): it
 * rewrites whole files and does not take the short locks, so writing beside it could lose data. A lock left
 * by a dead process is removed.
 */
export async function assertNoLegacyHolder(directory: string): Promise<void> {
  const file = join(directory, LOCK_FILE_NAME);
  const existing = await readExistingLock(file);
  if (existing === undefined) return;
  if (existing.holder !== undefined && isLockLive(existing.holder)) {
    const hint = existing.holder.hostname === hostname() ? "" : `; if that process is gone, delete ${file}`;
    throw new StoreLockedError(directory, `${describeHolder(existing.holder)}, an older agentsynth that needs the directory to itself${hint}`);
  }
  await removeStaleLock(file, existing.text);
}

function lockedError(file: string, holder: LockHolder): StoreLockedError {
  const hint = holder.hostname === hostname() ? "" : `; if that process is gone, delete ${file}`;
  return new StoreLockedError(dirname(file), `${describeHolder(holder)}, which has held ${basename(file)} too long${hint}`);
}

function isLockLive(holder: LockHolder): boolean {
  if (holder.pid === process.pid && holder.hostname === hostname()) return heldByThisProcess.has(holder.token);
  return isHolderAlive(holder);
}

async function tryCreateLock(file: string, holder: LockHolder): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, "wx");
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
  heldByThisProcess.add(holder.token); // at once, before the content is written: see isLockLive
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
  } catch (error) {
    heldByThisProcess.delete(holder.token);
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
    await sleep(RETRY_DELAY_MS);
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

function watchLock(file: string, holder: LockHolder): FileLock {
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
        heldByThisProcess.delete(holder.token);
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

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
