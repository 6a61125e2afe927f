import { randomUUID } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { StoreFileHandle, StoreFileSystem } from "./file-system.js";

/**
 * Replaces `file` with `content` so that neither a crash nor a power loss leaves it empty, half written or
 * old after the promise resolved: the content goes to a temporary file beside it, which is fsynced, renamed
 * over the target, and then the directory is fsynced so the rename itself is on the device.
 */
export async function replaceFileDurably(fs: StoreFileSystem, file: string, content: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporaryFile(fs, file, content);
  try {
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, dirname(file));
}

/**
 * Like replaceFileDurably, but never replaces: when `file` exists (another process published it first) this
 * fails with EEXIST and leaves it alone. The temporary file gets its final name by link(), which is atomic.
 */
export async function publishFileDurably(fs: StoreFileSystem, file: string, content: string | Uint8Array): Promise<void> {
  const temporary = await writeTemporaryFile(fs, file, content);
  try {
    await fs.link(temporary, file);
  } finally {
    await fs.unlink(temporary).catch(() => undefined);
  }
  await syncDirectory(fs, dirname(file));
}

/** A fsynced temporary file beside `file`, named so nothing takes it for a store file. */
async function writeTemporaryFile(fs: StoreFileSystem, file: string, content: string | Uint8Array): Promise<string> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`);
  const handle = await fs.open(temporary, "wx");
  try {
    await writeAndSync(handle, content);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temporary;
}

/**
 * Creates `file`, which must not exist yet (EEXIST otherwise), with `content`, fsynced with its directory
 * entry. Returns the open handle, positioned for nothing: the caller writes at explicit offsets.
 */
export async function createFileDurably(fs: StoreFileSystem, file: string, content: string | Uint8Array): Promise<StoreFileHandle> {
  const handle = await fs.open(file, "wx");
  try {
    await writeAndSync(handle, content);
    await syncDirectory(fs, dirname(file));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(file).catch(() => undefined);
    throw error;
  }
  return handle;
}

/** Makes the directory's entries (a created or renamed file) durable. Windows cannot open a directory to flush it, and needs not. */
export async function syncDirectory(fs: StoreFileSystem, directory: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await fs.open(directory, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAndSync(handle: StoreFileHandle, content: string | Uint8Array): Promise<void> {
  await handle.writeAt(typeof content === "string" ? Buffer.from(content, "utf8") : content, 0);
  await handle.sync();
}
