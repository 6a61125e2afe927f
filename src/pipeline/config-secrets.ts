import type { ModelSettings, PipelineConfig } from "../domain/config.js";

/** What an inline API key is stored as. */
export const HIDDEN_KEY = "***";

/**
 * The config as it may be stored (run records, and the dataset cards made from them): every inline `apiKey`
 * (default, per role, per judge of the committee) replaced by `***`. `apiKeyEnv`, the variable's name, stays.
 */
export function hideInlineKeys(config: PipelineConfig): PipelineConfig {
  const hide = <T extends Partial<ModelSettings> | undefined>(settings: T): T => (settings?.apiKey === undefined ? settings : { ...settings, apiKey: HIDDEN_KEY });
  const { models, judge } = config;
  return {
    ...config,
    models: {
      ...models,
      default: hide(models.default),
      ...(models.generator ? { generator: hide(models.generator) } : {}),
      ...(models.agent ? { agent: hide(models.agent) } : {}),
      ...(models.userSimulator ? { userSimulator: hide(models.userSimulator) } : {}),
      ...(models.toolSimulator ? { toolSimulator: hide(models.toolSimulator) } : {}),
      ...(models.judge ? { judge: hide(models.judge) } : {}),
    },
    judge: judge.committee?.models ? { ...judge, committee: { ...judge.committee, models: judge.committee.models.map(hide) } } : judge,
  };
}
