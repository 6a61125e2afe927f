import { constants } from "node:fs";
import { open, realpath, type FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";
import { isAbsolute, relative, resolve } from "node:path";
import { errorCode } from "../errors/describe-error.js";
import { InputError } from "../errors/input-error.js";
import { throwIfAborted } from "../support/concurrency.js";

/** Which files may be read for a caller. */
export interface FileAccess {
  /**
   * Only files under these folders (symbolic links resolved) may be read; a path elsewhere fails exactly as a
   * missing file does, and no error quotes a file's content. Undefined: any file (the user's own CLI).
   */
  roots?: readonly string[] | undefined;
  /** Files larger than this are refused (default 64 MiB). */
  maxBytes?: number | undefined;
}

/** Any file the process can read: for paths the user gives on the command line or in their own config. */
export const ANY_FILE: FileAccess = {};

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Longer paths are refused before they reach the file system (Linux PATH_MAX is 4096, NAME_MAX 255 bytes). */
const MAX_PATH_BYTES = 4096;
const MAX_NAME_BYTES = 255;

/**
 * A path as a caller wrote it must be one the file system can take: no NUL byte, not over-long. Otherwise an
 * InputError (INPUT_INVALID) that says which, instead of whatever the system call would throw.
 */
export function checkPathText(path: string, what: string): void {
  if (path.includes("\0")) throw new InputError(`${what}: the path contains a NUL byte; give a plain file path`);
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw new InputError(`${what}: the path is longer than ${MAX_PATH_BYTES} bytes`);
  const long = path.split(/[\\/]/).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long !== undefined) throw new InputError(`${what}: a name in the path is longer than ${MAX_NAME_BYTES} bytes ("${long.slice(0, 40)}…")`);
}

/** What a read may fail with, by kind, so a caller can raise its own error class (a config file: CONFIG_INVALID). */
export type InputFileProblem = (message: string) => Error;

/**
 * Read a text file a caller named: a regular file (never a FIFO, device or folder, which could block or never
 * end), not larger than the cap, and under the allowed roots when there are any. `what` names the file in
 * messages ("the tool specs file").
 */
export async function readInputFile(path: string, what: string, access: FileAccess, problem: InputFileProblem = (message) => new InputError(message)): Promise<string> {
  const { handle, size, absolute } = await openInputFile(path, what, access, problem);
  try {
    const maxBytes = access.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (size > maxBytes) throw problem(`${what} ${absolute} is ${size} bytes, larger than the ${maxBytes} bytes a file may have`);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = size === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** An input file opened for reading after the checks of readInputFile (but no size cap); the caller closes it. */
export interface OpenInputFile {
  handle: FileHandle;
  size: number;
  absolute: string;
}

/** Open a file a caller named, checked as readInputFile checks it, without reading it (for files read as a stream). */
export async function openInputFile(path: string, what: string, access: FileAccess, problem: InputFileProblem = (message) => new InputError(message)): Promise<OpenInputFile> {
  checkPathText(path, what);
  const absolute = resolve(path);
  const roots = access.roots?.map((root) => resolve(root));
  const unavailable = (): Error =>
    problem(
      roots === undefined
        ? `${what} ${absolute} does not exist; give the path of an existing file`
        : `${what} ${absolute}: there is no such file in the folders this server may read (${roots.join(", ")}); put it there, or start the server with --allow-read DIR`,
    );
  if (roots !== undefined && !roots.some((root) => isWithin(root, absolute))) throw unavailable();
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    if (roots !== undefined || errorCode(error) === "ENOENT") throw unavailable();
    throw problem(`${what} ${absolute} cannot be read (${errorCode(error) ?? "unreadable"})`);
  }
  if (roots !== undefined && !(await realRoots(roots)).some((root) => isWithin(root, real))) throw unavailable();
  let handle;
  try {
    // Non-blocking, so opening a FIFO returns at once (and is then refused) instead of waiting for a writer.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if (roots !== undefined) throw unavailable();
    throw problem(`${what} ${absolute} cannot be read (${errorCode(error) ?? "unreadable"})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw problem(`${what} ${absolute} is not a regular file (it is a ${describeKind(stats)}); give the path of a file`);
    return { handle, size: stats.size, absolute };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The lines of an opened input file, read as a stream (one chunk in memory at a time, whatever the file's size),
 * with their 1-based numbers; a final line without a newline counts, a trailing newline adds no empty line. The
 * file may be read again (the handle stays open until its owner closes it).
 */
export async function* readLines(file: OpenInputFile, signal?: AbortSignal): AsyncGenerator<{ number: number; text: string }> {
  const stream = file.handle.createReadStream({ start: 0, encoding: "utf8", autoClose: false, highWaterMark: 64 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const text of lines) {
      throwIfAborted(signal);
      yield { number: ++number, text };
    }
  } finally {
    // Not destroyed: that would close the file handle, which the caller owns (and may read again).
    lines.close();
    stream.pause();
  }
}

/** How many lines readLines would give, counted over a stream of the file. */
export async function countLines(file: OpenInputFile, signal?: AbortSignal): Promise<number> {
  let count = 0;
  let last = 10;
  for await (const chunk of file.handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    throwIfAborted(signal);
    for (const byte of chunk) if (byte === 10) count++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  return last === 10 ? count : count + 1;
}

/**
 * Read a JSON file a caller named (see readInputFile). Invalid JSON is reported without quoting the file: the
 * parser's message, which shows the text around the error, is added only when any file may be read.
 */
export async function readJsonInput(path: string, what: string, access: FileAccess, problem: InputFileProblem = (message) => new InputError(message)): Promise<unknown> {
  const text = await readInputFile(path, what, access, problem);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = access.roots === undefined ? `: ${(error as Error).message}` : "";
    throw problem(`${what} ${resolve(path)} is not valid JSON${detail}`);
  }
}

function isWithin(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const found = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  return found.filter((root): root is string => root !== undefined);
}

function describeKind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return "folder";
  if (stats.isFIFO()) return "FIFO";
  if (stats.isSocket()) return "socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "device";
  return "special file";
}
