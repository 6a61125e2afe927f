import type { FlagSpec } from "./command.js";

/** Flags several commands share, with one meaning each. */

export const JSON_FLAG: FlagSpec = { type: "boolean", description: "print the result as JSON" };

/** The seed of a generator or simulate call. */
export const CALL_SEED_FLAG: FlagSpec = { type: "string", value: "N", description: "seed (default: derived from the config seed and the store)" };

export const FAULT_RATE_FLAG: FlagSpec = { type: "string", value: "R", description: "the share of tool calls that get an injected fault, spread over the configured kinds" };

export const MAX_STEPS_FLAG: FlagSpec = { type: "string", value: "N", description: "the message limit of an episode (default: the config's simulation.maxSteps)" };

/** `run` and `export`: where the dataset's folder goes. */
export const EXPORT_OUT_FLAG: FlagSpec = { type: "string", value: "DIR", description: "the export goes to DIR/<dataset name>/ (default ./out)" };

/** The episodes a judge or filter command works on. */
export const SELECTION_FLAGS = {
  episode: { type: "string", value: "ID,…", description: "these episodes" },
  run: { type: "string", value: "ID", description: "a run: the episodes it simulated, or the episodes it judged" },
} satisfies Record<string, FlagSpec>;
