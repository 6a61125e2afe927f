import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/input-error.js";
import { checkPathText, countLines, openInputFile, readInputFile, readJsonInput, readLines, type FileAccess } from "../../src/pipeline/input-files.js";

let directory: string;
let root: string;
let access: FileAccess;
const OUTSIDE_TEXT = "root:x:0:0:root:/root:/bin/bash";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "agentsynth-input-files-"));
  root = join(directory, "root");
  await mkdir(join(root, "nested"), { recursive: true });
  await writeFile(join(root, "specs.json"), JSON.stringify([{ name: "a" }]));
  await writeFile(join(root, "notes.txt"), "secret plans: attack at dawn");
  await writeFile(join(directory, "passwd"), OUTSIDE_TEXT);
  await writeFile(join(directory, "outside.json"), JSON.stringify({ password: "hunter2" }));
  await symlink(join(directory, "passwd"), join(root, "link-out"));
  await symlink(directory, join(root, "folder-out"));
  await symlink(join(root, "specs.json"), join(root, "link-in.json"));
  execFileSync("mkfifo", [join(root, "pipe")]);
  access = { roots: [root], maxBytes: 1024 };
});
afterAll(async () => rm(directory, { recursive: true, force: true }));

/** The message of a refused read, checked to quote none of the file's content. */
async function refusal(path: string, options: FileAccess = access): Promise<string> {
  const error = await readJsonInput(path, "the tool specs file", options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  const message = (error as Error).message;
  expect(message).not.toContain("root:x");
  expect(message).not.toContain("hunter2");
  expect(message).not.toContain("attack at dawn");
  return message;
}

describe("readJsonInput under allowed roots", () => {
  it("reads a JSON file under a root, through a link that stays inside", async () => {
    expect(await readJsonInput(join(root, "specs.json"), "the tool specs file", access)).toEqual([{ name: "a" }]);
    expect(await readJsonInput(join(root, "link-in.json"), "the tool specs file", access)).toEqual([{ name: "a" }]);
  });

  it("answers a file outside the roots exactly as a missing one, never saying whether it exists", async () => {
    const missing = await refusal(join(directory, "no-such-file.json"));
    const outside = await refusal(join(directory, "outside.json"));
    const viaLink = await refusal(join(root, "link-out"));
    const viaFolder = await refusal(join(root, "folder-out", "outside.json"));
    const dotDot = await refusal(join(root, "..", "passwd"));
    const system = await refusal("/etc/passwd");
    const pattern = /: there is no such file in the folders this server may read \(.*\); put it there, or start the server with --allow-read DIR$/;
    for (const message of [missing, outside, viaLink, viaFolder, dotDot, system]) expect(message).toMatch(pattern);
    expect(outside.replace("outside.json", "X")).toBe(missing.replace("no-such-file.json", "X"));
  });

  it("refuses a FIFO at once instead of blocking on it, and a folder", async () => {
    expect(await refusal(join(root, "pipe"))).toMatch(/is not a regular file \(it is a FIFO\)/);
    expect(await refusal(join(root, "nested"))).toMatch(/is not a regular file \(it is a folder\)/);
  });

  it("refuses a file over the size cap", async () => {
    await writeFile(join(root, "big.json"), JSON.stringify("x".repeat(2000)));
    expect(await refusal(join(root, "big.json"))).toMatch(/is 2002 bytes, larger than the 1024 bytes a file may have/);
  });

  it("says a file is not JSON without quoting it", async () => {
    expect(await refusal(join(root, "notes.txt"))).toMatch(/notes\.txt is not valid JSON$/);
  });

  it("refuses a NUL byte or an over-long name as bad input before touching the file system", async () => {
    expect(await refusal(`${root}/specs.json\0.png`)).toMatch(/the path contains a NUL byte/);
    expect(await refusal(join(root, "a".repeat(300)))).toMatch(/a name in the path is longer than 255 bytes/);
    expect(() => checkPathText(`/${"abc/".repeat(1100)}`, "file")).toThrow(/longer than 4096 bytes/);
  });
});

describe("readJsonInput for the user's own CLI (no roots)", () => {
  it("reads any file, says plainly when one is missing, and keeps the parser's detail", async () => {
    expect(await readJsonInput(join(directory, "outside.json"), "the tool specs file", {})).toEqual({ password: "hunter2" });
    await expect(readJsonInput(join(directory, "nope.json"), "the tool specs file", {})).rejects.toThrow(/nope\.json does not exist/);
    await expect(readJsonInput(join(directory, "passwd"), "the tool specs file", {})).rejects.toThrow(/is not valid JSON: /);
  });
});

describe("reading a file as a stream of lines", () => {
  const linesOf = async (file: Awaited<ReturnType<typeof openInputFile>>) => {
    const lines: Array<{ number: number; text: string }> = [];
    for await (const line of readLines(file)) lines.push(line);
    return lines;
  };

  it("numbers the lines from 1, with or without a final newline, CRLF too, and can read the file again", async () => {
    const cases: Array<[string, string[]]> = [
      ["a\nb\n", ["a", "b"]],
      ["a\n\nb", ["a", "", "b"]],
      ["a\r\nb\r\n", ["a", "b"]],
      ["", []],
    ];
    for (const [index, [text, expected]] of cases.entries()) {
      const path = join(root, `lines-${index}.jsonl`);
      await writeFile(path, text);
      const file = await openInputFile(path, "the lines file", access);
      try {
        expect(await countLines(file)).toBe(expected.length);
        expect(await linesOf(file)).toEqual(expected.map((line, at) => ({ number: at + 1, text: line })));
        expect((await linesOf(file)).length).toBe(expected.length);
      } finally {
        await file.handle.close();
      }
    }
  });

  it("streams a file larger than a whole read may be, under the same root checks", async () => {
    const path = join(root, "large.jsonl");
    const line = `{"messages":"${"x".repeat(200)}"}`;
    await writeFile(path, `${Array.from({ length: 50 }, () => line).join("\n")}\n`);
    await expect(readInputFile(path, "the file", access)).rejects.toThrow(/larger than the 1024 bytes/);
    const file = await openInputFile(path, "the file", access);
    try {
      expect((await linesOf(file)).map((read) => read.text.length)).toEqual(Array.from({ length: 50 }, () => line.length));
    } finally {
      await file.handle.close();
    }
    await expect(openInputFile(join(directory, "passwd"), "the file", access)).rejects.toThrow(/no such file in the folders this server may read/);
    await expect(openInputFile(join(root, "pipe"), "the file", access)).rejects.toThrow(/not a regular file/);
  });
});
