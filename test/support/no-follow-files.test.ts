import { createRequire, syncBuiltinESMExports } from "node:module";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JsonlWriter } from "../../src/export/jsonl-writer.js";
import { writeFileAtomic } from "../../src/support/no-follow-files.js";

/*
 * The order of the file-system calls that make a write durable, recorded by wrapping node's own `open`, `rename`
 * and FileHandle `sync` (the module's named imports are live bindings of node:fs/promises, updated by
 * syncBuiltinESMExports): each renamed file is fsynced before its rename, and its folder after.
 */
const require = createRequire(import.meta.url);
const promises = require("node:fs/promises") as typeof import("node:fs/promises");
type Call = { operation: "sync" | "rename"; path: string };

let directory: string;
let calls: Call[];
const original = { open: promises.open, rename: promises.rename };
let originalSync: ((this: object) => Promise<void>) | undefined;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-durable-"));
  calls = [];
  const paths = new WeakMap<object, string>();
  promises.open = (async (path: Parameters<typeof promises.open>[0], ...rest: unknown[]) => {
    const handle = await (original.open as (...args: unknown[]) => ReturnType<typeof promises.open>)(path, ...rest);
    paths.set(handle, String(path));
    return handle;
  }) as typeof promises.open;
  promises.rename = (async (from: string, to: string) => {
    calls.push({ operation: "rename", path: `${from} -> ${to}` });
    return original.rename(from, to);
  }) as typeof promises.rename;
  const probe = await original.open(join(directory, "probe"), "w");
  const prototype = Object.getPrototypeOf(probe) as { sync: (this: object) => Promise<void> };
  await probe.close();
  const sync = prototype.sync;
  originalSync = sync;
  prototype.sync = async function (this: object) {
    calls.push({ operation: "sync", path: paths.get(this) ?? "?" });
    return sync.call(this);
  };
  syncBuiltinESMExports();
});

afterEach(async () => {
  promises.open = original.open;
  promises.rename = original.rename;
  const probe = await original.open(join(directory, "probe"), "w");
  (Object.getPrototypeOf(probe) as { sync: unknown }).sync = originalSync;
  await probe.close();
  syncBuiltinESMExports();
  await rm(directory, { recursive: true, force: true });
});

/** The calls around the rename onto `target`: what was fsynced before and after it. */
function aroundRename(target: string): { before: string[]; after: string[]; temporary: string } {
  const index = calls.findIndex((call) => call.operation === "rename" && call.path.endsWith(` -> ${target}`));
  expect(index, JSON.stringify(calls)).toBeGreaterThanOrEqual(0);
  const temporary = (calls[index] as Call).path.split(" -> ")[0] as string;
  const syncs = (slice: Call[]): string[] => slice.filter((call) => call.operation === "sync").map((call) => call.path);
  return { before: syncs(calls.slice(0, index)), after: syncs(calls.slice(index + 1)), temporary };
}

describe("durable writes outside the store", () => {
  it("writeFileAtomic (the dataset card): the new file is fsynced before its rename, the folder after", async () => {
    const card = join(directory, "README.md");
    await writeFileAtomic(card, "# card\n");
    const { before, after, temporary } = aroundRename(card);
    expect(before).toContain(temporary);
    expect(after).toEqual([directory]);
    expect(await readFile(card, "utf8")).toBe("# card\n");
  });

  it("an export's JSONL file: the .partial file is fsynced before it is renamed into place, the folder after", async () => {
    const target = join(directory, "train.jsonl");
    const writer = await JsonlWriter.create(target);
    await writer.write({ messages: [] });
    await writer.commit();
    const { before, after, temporary } = aroundRename(target);
    expect(temporary).toMatch(/\.partial$/);
    expect(before).toContain(temporary);
    expect(after).toEqual([directory]);
    expect(await readdir(directory)).toEqual(expect.arrayContaining(["train.jsonl"]));
  });

  it("a link planted at the target is replaced, never written through, and no temporary file is left", async () => {
    const outside = join(directory, "outside");
    await mkdir(join(directory, "out"));
    await writeFile(outside, "precious");
    await symlink(outside, join(directory, "out", "README.md"));
    await writeFileAtomic(join(directory, "out", "README.md"), "# card\n");
    expect(await readFile(outside, "utf8")).toBe("precious");
    expect(await readdir(join(directory, "out"))).toEqual(["README.md"]);
  });
});
