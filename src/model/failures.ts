import type { ModelFailureKind, ModelUnavailableReason } from "../domain/model-usage.js";
import { BudgetReachedError } from "../errors/budget-reached-error.js";
import { CancelledError } from "../errors/cancelled-error.js";
import { ModelOutputError } from "../errors/model-output-error.js";
import { ModelRequestError, type ModelRequestFailureKind } from "../errors/model-request-error.js";
import { ModelUnavailableError, type ModelUnavailableErrorReason } from "../errors/model-unavailable-error.js";

/**
 * What a failed model call means for the work it was part of:
 * - `item`: this answer is lost (after its retries); label the item it was for with `kind`, count it, go on;
 * - `run`: no further request can succeed or may be sent (a rejected key, no such model, an open circuit, a
 *   budget reached); stop the run cleanly with `reason`, keeping what is stored;
 * - `cancelled`: the caller's signal aborted.
 * Anything else (`unknown`) is a defect of ours, not the model's: let it propagate.
 */
export type ModelFailure =
  | { scope: "item"; kind: ModelFailureKind; message: string; error: ModelRequestError | ModelOutputError }
  | { scope: "run"; reason: ModelUnavailableReason | "budget_reached"; message: string; error: ModelUnavailableError | BudgetReachedError }
  | { scope: "cancelled"; error: CancelledError }
  | { scope: "unknown"; error: unknown };

export function classifyModelFailure(error: unknown): ModelFailure {
  if (error instanceof ModelRequestError) return { scope: "item", kind: error.details.kind, message: error.message, error };
  if (error instanceof ModelOutputError) return { scope: "item", kind: error.kind, message: error.message, error };
  if (error instanceof ModelUnavailableError) return { scope: "run", reason: error.details.reason, message: error.message, error };
  if (error instanceof BudgetReachedError) return { scope: "run", reason: "budget_reached", message: error.message, error };
  if (error instanceof CancelledError) return { scope: "cancelled", error };
  return { scope: "unknown", error };
}

/** True for a failure that loses only the item it was for. */
export function isItemFailure(error: unknown): error is ModelRequestError | ModelOutputError {
  return error instanceof ModelRequestError || error instanceof ModelOutputError;
}

// The errors (which may import nothing of ours) spell the kinds as types; the zod enums in the domain must agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsAgree: Same<ModelRequestFailureKind, ModelFailureKind> = true;
const reasonsAgree: Same<ModelUnavailableErrorReason, ModelUnavailableReason> = true;
void kindsAgree;
void reasonsAgree;
