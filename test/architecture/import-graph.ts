import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** One import between two source files, both as paths relative to the root (always with `/`). */
export interface ImportEdge {
  from: string;
  to: string;
}

/**
 * The imports between the `.ts` files under `root`: `import … from`, `export … from`, side-effect imports,
 * `import type` and dynamic `import("…")` of relative paths, resolved as NodeNext does (`./x.js` → `./x.ts`,
 * a folder → its `index.ts`). Package imports (`zod`, `node:fs`) are not edges. A relative import that
 * resolves to no file is an error: the graph would otherwise miss an edge without saying so.
 */
export async function readImportGraph(root: string): Promise<ImportEdge[]> {
  const files = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(await readFile(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolveSource(dirname(file), fileName);
      if (target === undefined) throw new Error(`${toKey(root, file)} imports "${fileName}", which resolves to no .ts file`);
      edges.push({ from: toKey(root, file), to: toKey(root, target) });
    }
  }
  return edges;
}

function resolveSource(directory: string, specifier: string): string | undefined {
  const base = resolve(directory, specifier);
  const candidates = [base.replace(/\.(m|c)?js$/, ".$1ts"), base, `${base}.ts`, join(base, "index.ts")];
  return candidates.find((candidate) => candidate.endsWith(".ts") && existsSync(candidate));
}

function toKey(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}
