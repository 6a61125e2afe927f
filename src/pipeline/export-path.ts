import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { checkPathText } from "./input-files.js";

/**
 * Resolve an output path (relative paths resolve from the export root) and make sure it stays under the
 * root, following symbolic links of the parts that exist already. `allowRoot` accepts the root itself
 * (for an output directory).
 */
export function resolveUnderRoot(root: string, path: string, options: { allowRoot?: boolean } = {}): string {
  checkPathText(path, "the output path");
  const absoluteRoot = resolve(root);
  const target = resolve(absoluteRoot, path);
  const outside = (): InputError =>
    new InputError(
      `the output path ${target} is outside the allowed export root ${absoluteRoot}; give a path under it (a relative path resolves from it), or start the server with another --out`,
    );
  if (!isWithin(absoluteRoot, target, options.allowRoot ?? false)) throw outside();
  const realRoot = existsSync(absoluteRoot) ? realpathSync(absoluteRoot) : absoluteRoot;
  const existing = nearestExisting(target);
  if (existing !== undefined && isWithin(absoluteRoot, existing, true) && !isWithin(realRoot, realpathSync(existing), true)) throw outside();
  return target;
}

function isWithin(root: string, target: string, allowRoot: boolean): boolean {
  const path = relative(root, target);
  if (path === "") return allowRoot;
  return !path.startsWith("..") && !isAbsolute(path);
}

function nearestExisting(path: string): string | undefined {
  for (let current = path; ; current = dirname(current)) {
    if (existsSync(current)) return current;
    if (dirname(current) === current) return undefined;
  }
}
