import type { ModelRole } from "../../src/domain/common.js";
import type { LanguageModel } from "../../src/model/language-model.js";
import { createModels } from "../../src/model/model-set.js";
import type { StageEnv } from "../../src/model/stage-env.js";
import { createFixedClock } from "../../src/support/clock.js";
import { createSequentialIds } from "../../src/support/ids.js";

/** A stage environment on the offline engine, with scripted models for the roles given. */
export function createTestEnv(override: Partial<Record<ModelRole, LanguageModel>> = {}, seed = 7): StageEnv & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    models: createModels({ default: { provider: "offline", model: "offline" } }, { seed, override, env: {} }),
    ids: createSequentialIds(),
    clock: createFixedClock(),
    seed,
    warnings,
    onWarning: (message) => warnings.push(message),
  };
}
