import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveUnderRoot } from "../../src/pipeline/export-path.js";

let directory: string;
let root: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-export-path-"));
  root = join(directory, "out");
  await mkdir(join(root, "inside"), { recursive: true });
  await mkdir(join(directory, "outside"));
  await symlink(join(directory, "outside"), join(root, "escape"));
  await symlink(join(root, "inside"), join(root, "alias"));
});
afterAll(async () => rm(directory, { recursive: true, force: true }));

describe("resolveUnderRoot", () => {
  it("resolves relative paths from the root and accepts absolute paths under it", () => {
    expect(resolveUnderRoot(root, "train.jsonl")).toBe(join(root, "train.jsonl"));
    expect(resolveUnderRoot(root, "new/deeper/train.jsonl")).toBe(join(root, "new", "deeper", "train.jsonl"));
    expect(resolveUnderRoot(root, join(root, "inside", "a.jsonl"))).toBe(join(root, "inside", "a.jsonl"));
    expect(resolveUnderRoot(root, "alias/a.jsonl")).toBe(join(root, "alias", "a.jsonl"));
  });

  it("refuses paths that leave the root, by .. , absolute path or symbolic link", () => {
    for (const path of ["../x.jsonl", "inside/../../x.jsonl", join(directory, "outside", "x.jsonl"), "escape/x.jsonl", "/etc/passwd"]) {
      expect(() => resolveUnderRoot(root, path), path).toThrow(/outside the allowed export root/);
    }
  });

  it("accepts the root itself only for directories", () => {
    expect(() => resolveUnderRoot(root, ".")).toThrow(/outside/);
    expect(resolveUnderRoot(root, ".", { allowRoot: true })).toBe(root);
  });
});
