/** Stable, documented error codes. Never renumber or reuse one. */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "INPUT_INVALID"
  | "MISSING_API_KEY"
  | "MODEL_REQUEST_FAILED"
  | "MODEL_OUTPUT_INVALID"
  | "STORE_CORRUPT"
  | "STORE_LOCKED"
  | "NOT_FOUND"
  | "CANCELLED"
  | "TOOL_SERVER_FAILED"
  | "EMPTY_RESULT"
  | "MODEL_UNAVAILABLE"
  | "BUDGET_REACHED";

/** The one base class of every error agentsynth throws on purpose. */
export class AgentsynthError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  static is(error: unknown): error is AgentsynthError {
    return error instanceof AgentsynthError;
  }
}
