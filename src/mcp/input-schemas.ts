import { z } from "zod";
import { FilterConfigSchema } from "../domain/config.js";

/** Input fields several tools share. */

export const pageInput = {
  cursor: z.string().min(1).optional().describe("nextCursor of the previous page; leave out for the first page"),
  limit: z.number().int().min(1).max(200).optional().describe("items per page (default 50, at most 200)"),
};

export const seedInput = z.number().int().nonnegative().optional().describe("seed for reproducible results; by default one derived from the config seed and the store's state");

export const idList = (what: string) => z.array(z.string().min(1)).min(1).describe(`${what} ids`);

/**
 * The filter settings a call may give over the config's: the config schema's own pieces, without their
 * defaults (an absent one keeps the config's value).
 */
const filterSettings = FilterConfigSchema.shape;
export const filterOverrides = {
  minScore: filterSettings.minScore.unwrap().optional().describe("minimum judgment score (default: the config's filter.minScore)"),
  requirePass: filterSettings.requirePass.unwrap().optional().describe("keep only pass verdicts (default: the config's)"),
  dedupe: filterSettings.dedupe.unwrap().optional().describe("drop duplicates: exact (same user turns and tool calls) and near (MinHash) (default: the config's)"),
  nearDuplicateThreshold: filterSettings.nearDuplicateThreshold
    .unwrap()
    .optional()
    .describe("drop near-duplicates whose MinHash-estimated similarity to a kept episode reaches this (default: the config's)"),
  requiredCriteria: filterSettings.requiredCriteria.unwrap().optional().describe("rubric criterion ids every kept episode must pass (default: the config's)"),
  caps: filterSettings.caps,
  length: filterSettings.length,
  successRate: filterSettings.successRate,
  excludeAttributions: filterSettings.excludeAttributions.unwrap().optional().describe("drop episodes whose failure is attributed to one of these (default: the config's)"),
};
