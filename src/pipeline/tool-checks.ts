import type { ToolCheckTally } from "../domain/run.js";
import type { SynthesizedTools } from "../registry/synthesize-tools.js";
import { tallyAudits } from "../world/tool-audit.js";

/** What synthesis rejected (per reason) and the audit excluded (per first failed check), for the run's record. */
export function tallyToolChecks(result: SynthesizedTools): ToolCheckTally {
  const rejected: Record<string, number> = {};
  for (const rejection of result.rejected) rejected[rejection.reason] = (rejected[rejection.reason] ?? 0) + 1;
  return { rejected, ...tallyAudits(result.tools) };
}
