import type { BudgetConfig } from "../domain/config.js";
import { BudgetReachedError } from "../errors/budget-reached-error.js";
import type { ModelPurpose } from "./language-model.js";
import { STAGE_OF_PURPOSE, type UsageTracker } from "./usage.js";

/**
 * Checks, before every model request, that the run and the request's stage are under their caps. Requests already
 * in flight finish (their cost is counted), so a run may end a few requests past a cap, never more than its
 * concurrency.
 */
export class BudgetGuard {
  constructor(
    private readonly budget: BudgetConfig | undefined,
    private readonly usage: UsageTracker,
  ) {}

  /** Throws BudgetReachedError when a cap that applies to `purpose` is reached. */
  check(purpose: ModelPurpose): void {
    const budget = this.budget;
    if (!budget) return;
    if (budget.maxCost !== undefined) {
      const spent = this.usage.cost();
      if (spent >= budget.maxCost) throw new BudgetReachedError({ scope: "run", limit: budget.maxCost, spent });
    }
    const stage = STAGE_OF_PURPOSE[purpose];
    const cap = budget.stages?.[stage];
    if (cap !== undefined) {
      const spent = this.usage.cost(stage);
      if (spent >= cap) throw new BudgetReachedError({ scope: stage, limit: cap, spent });
    }
  }
}
