import { AgentsynthError } from "./agentsynth-error.js";

/**
 * A spending cap was reached (`models.budget.maxCost`, `--max-cost`, or a stage's cap): no further request is
 * sent; the run stops cleanly with what it stored.
 */
export class BudgetReachedError extends AgentsynthError {
  constructor(readonly details: { scope: "run" | string; limit: number; spent: number }) {
    super(
      "BUDGET_REACHED",
      `the ${details.scope === "run" ? "run's" : `${details.scope} stage's`} budget of $${details.limit.toFixed(2)} is reached ($${details.spent.toFixed(4)} spent): no further model request is sent`,
    );
  }
}
