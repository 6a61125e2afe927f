import { z } from "zod";
import { FilterConfigSchema } from "../domain/config.js";

/** Input fields several tools share. */

export const pageInput = {
  cursor: z.string().min(1).optional().describe("nextCursor of the previous page"),
  limit: z.number().int().min(1).max(200).optional().describe("default 50"),
};

export const seedInput = z.number().int().nonnegative().optional().describe("for reproducible results");

export const idList = z.array(z.string().min(1)).min(1);

/**
 * The filter settings a call may give over the config's: the config schema's own pieces, without their
 * defaults (an absent one keeps the config's value).
 */
const filterSettings = FilterConfigSchema.shape;
export const filterOverrides = {
  minScore: filterSettings.minScore.unwrap().optional().describe("minimum judgment score"),
  requirePass: filterSettings.requirePass.unwrap().optional().describe("keep only pass verdicts"),
  dedupe: filterSettings.dedupe.unwrap().optional().describe("drop exact and near (MinHash) duplicates"),
  nearDuplicateThreshold: filterSettings.nearDuplicateThreshold.unwrap().optional().describe("similarity from which an episode is a near-duplicate"),
  requiredCriteria: filterSettings.requiredCriteria.unwrap().optional().describe("rubric criterion ids a kept episode must pass"),
  caps: filterSettings.caps.describe("at most this many kept episodes per task, agent or domain"),
  length: filterSettings.length.describe("bounds on messages and tool calls per episode"),
  successRate: filterSettings.successRate.describe("keep tasks whose pass rate lies in [min, max]"),
  excludeAttributions: filterSettings.excludeAttributions.unwrap().optional().describe("drop episodes whose failure is attributed to one of these"),
};
