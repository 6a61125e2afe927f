import { readdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Child processes cannot load the TypeScript sources: Node 20 has no type stripping and no TS loader
 * (tsx, ts-node) is installed, and vitest's transform lives only inside vitest. So child processes run
 * the compiled store from `dist/`, which `npm test` builds (`npm run build`) before vitest starts.
 * A missing or stale build fails the test with what to do, rather than testing old code.
 */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_DIR = join(REPO_ROOT, "src", "store");
const BUILT_DIR = join(REPO_ROOT, "dist", "src", "store");

/** The file URL of the compiled `dist/src/store/index.js`, after checking it is there and not older than the sources. */
export async function locateBuiltStore(): Promise<string> {
  const entry = join(BUILT_DIR, "index.js");
  if (!(await stat(entry).catch(() => undefined))) {
    throw new Error(`${entry} is missing: the multi-process store tests run the compiled store; run \`npm run build\` first (\`npm test\` does)`);
  }
  for (const name of await readdir(SOURCE_DIR)) {
    if (!name.endsWith(".ts")) continue;
    const source = join(SOURCE_DIR, name);
    const built = join(BUILT_DIR, name.replace(/\.ts$/, ".js"));
    const [sourceStat, builtStat] = await Promise.all([stat(source), stat(built).catch(() => undefined)]);
    if (!builtStat || builtStat.mtimeMs < sourceStat.mtimeMs) {
      throw new Error(`${built} is missing or older than ${source}: run \`npm run build\` before the multi-process store tests`);
    }
  }
  return pathToFileURL(entry).href;
}
