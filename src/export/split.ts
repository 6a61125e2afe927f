import type { ExportSplit } from "../domain/config.js";
import { createRandom } from "../support/random.js";

/** A split with its seed decided. */
export type SplitSettings = Required<ExportSplit>;

/**
 * The positions (0 … total-1, in export order) of the records that go to validation: round(total × ratio)
 * of them, picked by a seeded shuffle, so the same records in the same order with the same seed split the
 * same way.
 */
export function chooseValidationPositions(total: number, split: SplitSettings): Set<number> {
  const count = Math.min(total, Math.round(total * split.validationRatio));
  const positions = Array.from({ length: total }, (_, position) => position);
  return new Set(createRandom(split.seed).fork("validation-split").shuffle(positions).slice(0, count));
}
