import type { JudgeCommitteeConfig, ModelsConfig } from "../domain/config.js";
import type { LanguageModel } from "./language-model.js";
import { createRoleModel, resolveModelSettings, type ModelSet } from "./model-set.js";

/** One judge of a committee: a model and the temperature it samples at (its own default when absent). */
export interface JudgeMember {
  model: LanguageModel;
  temperature?: number | undefined;
}

/**
 * The judge committee a config asks for. A member without its own model settings is the set's judge model
 * (so a test's scripted judge or a cached provider is shared); one with settings gets its own provider over
 * the judge role's settings. Fails before any work when a member needs a key that is missing.
 */
export function createJudgeCommittee(
  models: ModelSet,
  config: ModelsConfig,
  committee: JudgeCommitteeConfig | undefined,
  options: { seed: number; env?: NodeJS.ProcessEnv | undefined },
): JudgeMember[] {
  const size = committee?.size ?? 1;
  return Array.from({ length: size }, (_, index) => {
    const override = committee?.models?.[index];
    const model =
      override && Object.keys(override).length > 0
        ? createRoleModel("judge", { ...resolveModelSettings(config, "judge"), ...override }, { seed: options.seed, models, ...(options.env ? { env: options.env } : {}) })
        : models.judge;
    return { model, temperature: committee?.temperatures?.[index] };
  });
}
