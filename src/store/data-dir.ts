import { resolve } from "node:path";

export const DEFAULT_DATA_DIR = "./.agentsynth";

/** `$AGENTSYNTH_DATA_DIR`, else `./.agentsynth`, as an absolute path. An empty variable counts as unset. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return resolve(env.AGENTSYNTH_DATA_DIR || DEFAULT_DATA_DIR);
}
