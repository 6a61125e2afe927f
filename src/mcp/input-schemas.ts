import { z } from "zod";

/** Input fields several tools share. */

export const pageInput = {
  cursor: z.string().min(1).optional().describe("nextCursor of the previous page; leave out for the first page"),
  limit: z.number().int().min(1).max(200).optional().describe("items per page (default 50, at most 200)"),
};

export const seedInput = z.number().int().nonnegative().optional().describe("seed for reproducible results; by default one derived from the config seed and the store's state");

export const idList = (what: string) => z.array(z.string().min(1)).min(1).describe(`${what} ids`);
