import { AgentsynthError } from "./agentsynth-error.js";

/**
 * A spending cap was reached (`models.budget.maxCost`, `--max-cost`, or a stage's cap): no further request is
 * sent; the run stops cleanly with what it stored.
 */
export class BudgetReachedError extends AgentsynthError {
  constructor(readonly details: { scope: "run" | string; limit: number; spent: number }) {
    super(
      "BUDGET_REACHED",
      `the ${details.scope === "run" ? "run's" : `${details.scope} stage's`} budget of $${dollars(details.limit)} is reached ($${dollars(details.spent)} spent): no further model request is sent`,
    );
  }
}

/** Up to four decimals, without trailing zeros: $5, $0.05, $0.0012. */
function dollars(amount: number): string {
  return String(Number(amount.toFixed(4)));
}
