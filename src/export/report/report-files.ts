import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { InputError } from "../../errors/input-error.js";
import { makeDirectoryUnder } from "../../support/no-follow-files.js";
import { pageName, REPORT_MARKER } from "./report-model.js";

/** The chart library's browser builds, copied into every report's assets/ (no CDN: the report works offline). */
const CHART_LIBRARIES = [
  { module: "vega", file: "vega.min.js" },
  { module: "vega-lite", file: "vega-lite.min.js" },
  { module: "vega-embed", file: "vega-embed.min.js" },
];
/** The page and its script and style, from the assets folder of the package. */
const PAGE_ASSETS = ["report.js", "report.css"];

/** A data file: a script that registers its payload with the page (`agentsynthReport.receive`). */
export async function writeDataFile(directory: string, name: string, payload: unknown): Promise<number> {
  const text = `agentsynthReport.receive(${JSON.stringify(name)}, ${JSON.stringify(payload)});\n`;
  await writeFile(join(directory, "data", `${name}.js`), text);
  return Buffer.byteLength(text);
}

/** Items written to numbered data pages (`episodes-0001`, …) of a fixed size, one page in memory at a time. */
export class DataPageWriter<T> {
  #items: T[] = [];
  #pages = 0;
  bytes = 0;

  constructor(
    readonly directory: string,
    readonly kind: "index" | "episodes" | "judgments",
    readonly perPage: number,
  ) {}

  /** Add an item; returns its page (from 1) and slot in the page. */
  async add(item: T): Promise<{ page: number; slot: number }> {
    this.#items.push(item);
    const place = { page: this.#pages + 1, slot: this.#items.length - 1 };
    if (this.#items.length >= this.perPage) await this.#flush();
    return place;
  }

  /** Write the last, partly filled page; returns the number of pages. */
  async finish(): Promise<number> {
    if (this.#items.length > 0) await this.#flush();
    return this.#pages;
  }

  async #flush(): Promise<void> {
    this.#pages++;
    this.bytes += await writeDataFile(this.directory, pageName(this.kind, this.#pages), this.#items);
    this.#items = [];
  }
}

/**
 * A report is written into a fresh folder beside its target and moved into place when complete, so a cancelled
 * or failed report never leaves half a report (nor destroys the previous one). The target must be missing,
 * empty, or an earlier report (it holds the marker file); anything else is refused and left untouched. The
 * folders from `root` down to the target's parent are made without following symbolic links (a link planted
 * there is refused), and the staging folder is new, so nothing is written through a link.
 */
export async function prepareStaging(root: string, target: string): Promise<string> {
  await assertReportFolder(target);
  await makeDirectoryUnder(root, dirname(target));
  const staging = join(dirname(target), `.${basename(target)}.writing-${randomUUID().slice(0, 8)}`);
  await mkdir(staging);
  await mkdir(join(staging, "data"));
  await mkdir(join(staging, "assets"));
  return staging;
}

export async function assertReportFolder(target: string): Promise<void> {
  const info = await lstat(target).catch(() => undefined);
  if (!info) return;
  if (info.isSymbolicLink()) throw new InputError(`the report folder ${target} is a symbolic link; nothing was written. Choose another --out`);
  if (!info.isDirectory()) throw new InputError(`the report folder ${target} is a file; choose another --out`);
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(REPORT_MARKER)) {
    throw new InputError(`${target} holds files that are not an agentsynth report (${entries.slice(0, 5).join(", ")}${entries.length > 5 ? ", …" : ""}); nothing was written. Choose another --out`);
  }
}

/** Replace the target with the finished staging folder (the earlier report, if any, goes). */
export async function moveIntoPlace(staging: string, target: string): Promise<void> {
  await assertReportFolder(target);
  const previous = existsSync(target) ? `${staging}.previous` : undefined;
  if (previous) await rename(target, previous);
  await rename(staging, target);
  if (previous) await rm(previous, { recursive: true, force: true });
}

/** Copy the page, its script and style, and the chart library into a report folder; returns the bytes copied. */
export async function copyAssets(assetsDirectory: string, staging: string): Promise<number> {
  const require = createRequire(import.meta.url);
  const sources = [
    ...PAGE_ASSETS.map((file) => ({ from: join(assetsDirectory, file), to: join(staging, "assets", file) })),
    { from: join(assetsDirectory, "index.html"), to: join(staging, "index.html") },
    ...CHART_LIBRARIES.map(({ module, file }) => ({ from: join(dirname(require.resolve(module)), file), to: join(staging, "assets", file) })),
  ];
  let bytes = 0;
  for (const { from, to } of sources) {
    await copyFile(from, to);
    bytes += (await stat(to)).size;
  }
  return bytes;
}

/** The marker of a report folder: what it covers, read back to tell whether a served report is current. */
export async function readReportMarker(directory: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(directory, REPORT_MARKER), "utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
