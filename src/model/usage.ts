import type { ModelRole, TokenUsage } from "../domain/common.js";
import type { UsageByRole } from "../domain/run.js";
import type { ModelPurpose } from "./language-model.js";

/** Token usage and request counts per role and per purpose. */
export class UsageTracker {
  private readonly byRole = new Map<ModelRole, { inputTokens: number; outputTokens: number; requests: number }>();
  private readonly byPurpose = new Map<ModelPurpose, { inputTokens: number; outputTokens: number; requests: number }>();

  record(role: ModelRole, purpose: ModelPurpose, usage: TokenUsage): void {
    for (const [map, key] of [[this.byRole, role], [this.byPurpose, purpose]] as const) {
      const entry = (map as Map<string, { inputTokens: number; outputTokens: number; requests: number }>).get(key) ?? { inputTokens: 0, outputTokens: 0, requests: 0 };
      entry.inputTokens += usage.inputTokens;
      entry.outputTokens += usage.outputTokens;
      entry.requests += 1;
      (map as Map<string, typeof entry>).set(key, entry);
    }
  }

  roles(): UsageByRole {
    return Object.fromEntries([...this.byRole].map(([role, entry]) => [role, { ...entry }]));
  }

  purposes(): Record<string, { inputTokens: number; outputTokens: number; requests: number }> {
    return Object.fromEntries([...this.byPurpose].map(([purpose, entry]) => [purpose, { ...entry }]));
  }
}
