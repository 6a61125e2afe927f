import type { ModelRef } from "../../../domain/common.js";
import type { StructuredOutput } from "../../../domain/config.js";
import { CancelledError } from "../../../errors/cancelled-error.js";
import { ModelRequestError } from "../../../errors/model-request-error.js";
import { ModelUnavailableError } from "../../../errors/model-unavailable-error.js";
import { followSignal } from "../../../support/forward-abort.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../language-model.js";
import { EndpointGate, type AttemptPermit } from "../../traffic/endpoint-gate.js";
import { describeFailure, describeStatus, type AttemptFailure } from "./failure.js";
import { HttpTransport, RequestAbortedError } from "./http-transport.js";
import { outputLimitOf, toChatCompletionParams, toJsonObjectParams, withOutputLimit, type RequestDefaults } from "./request-mapping.js";
import { fromChatCompletion, SseReader, StreamAccumulator, type CompletionParts } from "./response-mapping.js";
import { sleep } from "../../../support/concurrency.js";
import { backoffDelayMs } from "./retry-policy.js";
import { mapToolNames, type ToolNameMap } from "./tool-names.js";

export interface OpenAIModelOptions extends RequestDefaults {
  /** The name records carry (`moonshot`, `vllm`, …); default "openai". */
  provider?: string | undefined;
  apiKey: string;
  /** e.g. http://127.0.0.1:8000/v1; undefined = https://api.openai.com/v1. */
  baseUrl?: string | undefined;
  /** Per-attempt timeout, covering the whole answer (headers and body). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** How structured answers are asked for (default json_schema; a refusal switches the endpoint to json_object). */
  structuredOutput?: StructuredOutput | undefined;
  /** Rename tools whose name does not start with a letter, and map the calls back. */
  toolNamesStartWithLetter?: boolean | undefined;
  /** The endpoint's rate limits, adaptive concurrency and circuit breaker, shared by every role on it. */
  gate?: EndpointGate | undefined;
  /** Ask for a streamed answer (SSE) and assemble it; the result is the same ModelResponse. */
  stream?: boolean | undefined;
  /** Injected for tests: how to wait between retries (default: a real sleep that honours the signal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests: random in [0,1) for the backoff jitter (default Math.random). */
  random?: () => number;
}

const DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** Keys shorter than this (e.g. "EMPTY" for a local vLLM) are not secrets; redacting them would mangle messages. */
const MIN_REDACTED_KEY_LENGTH = 8;
/** Without a gate of its own, a model is limited by its callers only. */
const UNLIMITED_CONCURRENCY = 1 << 20;

/** A LanguageModel for any OpenAI-compatible chat-completions endpoint. */
export function createOpenAIModel(options: OpenAIModelOptions): LanguageModel {
  return new OpenAIChatModel(options);
}

/** A gate for one endpoint with no rate limits, not adapting, with the circuit breaker off: what a bare model gets. */
export function createOpenEndpointGate(endpoint: string): EndpointGate {
  return new EndpointGate({ endpoint, maxConcurrency: UNLIMITED_CONCURRENCY, adaptiveConcurrency: false, circuitBreaker: { enabled: false, window: 20, failureRatio: 1 } });
}

type Params = ReturnType<typeof toChatCompletionParams>;
type Sent = { kind: "answer"; parts: CompletionParts } | { kind: "failed"; failure: AttemptFailure };
type AttemptOutcome = Sent | { kind: "cancelled" };

/** Endpoints (base URL + model) that refused json_schema: asked in JSON mode from then on, by every model object. */
const refusedJsonSchema = new Set<string>();

class OpenAIChatModel implements LanguageModel {
  readonly ref: ModelRef;
  private readonly transport: HttpTransport;
  private readonly endpoint: string;
  private readonly endpointKey: string;
  private readonly gate: EndpointGate;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: OpenAIModelOptions) {
    this.ref = { provider: options.provider ?? "openai", model: options.model };
    const baseURL = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.endpoint = `${baseURL}/chat/completions`;
    this.endpointKey = `${baseURL} ${options.model}`;
    this.gate = options.gate ?? createOpenEndpointGate(baseURL);
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.transport = new HttpTransport(this.endpoint, options.apiKey);
  }

  /**
   * Send a request, retrying what is worth retrying. An answer cut at the output-token limit is asked once more
   * with twice the limit; an endpoint that refuses json_schema is asked again (and from then on) in JSON mode.
   * Throws ModelUnavailableError (systemic: 401/403/404, an open circuit), ModelRequestError (item-level, after the
   * retries) or CancelledError. The usage of every answered attempt is counted in the response.
   */
  async generate(request: ModelRequest): Promise<ModelResponse> {
    this.throwIfCancelled(request);
    this.gate.admit(this.options.model, request.purpose);
    const names = this.options.toolNamesStartWithLetter && request.tools?.length ? mapToolNames(request.tools) : undefined;
    const structuredOutput = refusedJsonSchema.has(this.endpointKey) ? "json_object" : (this.options.structuredOutput ?? "json_schema");
    let params = toChatCompletionParams(request, this.options, { structuredOutput, toolNames: names });
    const estimate = this.gate.limitsTokens ? estimateTokens(params) : 0;
    const started = performance.now();
    const maxAttempts = Math.max(0, Math.floor(this.options.maxRetries)) + 1;
    const usage = { inputTokens: 0, outputTokens: 0 };
    let failedAttempts = 0;
    let lengthRetried = false;
    for (let sent = 0; ; sent++) {
      this.throwIfCancelled(request);
      const permit = await this.acquire(estimate, sent > 0, request);
      const attemptStarted = performance.now();
      const outcome = await this.attempt(params, request.signal);
      this.finishAttempt(permit, outcome, attemptStarted);
      if (outcome.kind === "cancelled") throw this.cancelledError(request);
      if (outcome.kind === "answer") {
        const { parts } = outcome;
        usage.inputTokens += parts.usage.inputTokens;
        usage.outputTokens += parts.usage.outputTokens;
        const limit = outputLimitOf(params) ?? parts.usage.outputTokens;
        if (parts.finishReason === "length" && !lengthRetried && limit > 0) {
          lengthRetried = true;
          params = withOutputLimit(params, limit * 2);
          continue;
        }
        this.gate.recordRequest(true);
        return { ...mapToolCallsBack(parts, names), usage, model: this.ref, latencyMs: Math.round(performance.now() - started) };
      }
      const { failure } = outcome;
      if (failure.systemic) throw this.unavailableError(failure, request);
      if (failure.refusedJsonSchema && request.responseFormat && params.response_format?.type === "json_schema") {
        refusedJsonSchema.add(this.endpointKey);
        params = toJsonObjectParams(params, request.responseFormat);
        continue;
      }
      failedAttempts++;
      if (!failure.retryable || failedAttempts >= maxAttempts) {
        this.gate.recordRequest(false);
        throw this.requestError(failure, failedAttempts, request);
      }
      const asked = failure.retryAfterMs;
      if (asked !== undefined && failure.status === 429) this.gate.pauseFor(asked);
      await this.waitBeforeRetry(asked ?? backoffDelayMs(failedAttempts - 1, this.random), request);
    }
  }

  private async acquire(estimate: number, retry: boolean, request: ModelRequest): Promise<AttemptPermit> {
    try {
      return await this.gate.acquire(estimate, retry, request.signal);
    } catch (error) {
      if (request.signal?.aborted) throw this.cancelledError(request);
      throw error;
    }
  }

  private finishAttempt(permit: AttemptPermit, outcome: AttemptOutcome, started: number): void {
    if (outcome.kind === "answer") {
      const { usage } = outcome.parts;
      permit.finish({ answered: true, latencyMs: performance.now() - started, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    } else {
      permit.finish({ answered: false, status: outcome.kind === "failed" ? outcome.failure.status : undefined });
    }
  }

  /** One request with its own timeout; the caller's signal aborts it too. Never throws. */
  private async attempt(params: Params, callerSignal: AbortSignal | undefined): Promise<AttemptOutcome> {
    // A signal of the attempt's own, so that however many requests a run has in flight its signal has one listener.
    const followed = followSignal(callerSignal);
    try {
      return this.options.stream ? await this.sendStreaming(params, followed.signal) : await this.send(params, followed.signal);
    } catch (error) {
      if (callerSignal?.aborted || error instanceof RequestAbortedError) return { kind: "cancelled" };
      return { kind: "failed", failure: describeFailure(error) };
    } finally {
      followed.release();
    }
  }

  /** The answer's parts, or the failure a non-2xx status is; throws what describeFailure reads. */
  private async send(params: Params, signal: AbortSignal): Promise<Sent> {
    const answer = await this.transport.post(JSON.stringify(params), { signal, timeoutMs: this.options.timeoutMs });
    if (answer.status < 200 || answer.status >= 300) return { kind: "failed", failure: describeStatus(answer) };
    // Read as unknown: compatible servers do not always match the protocol's types.
    return { kind: "answer", parts: fromChatCompletion(JSON.parse(answer.body)) };
  }

  private async sendStreaming(params: Params, signal: AbortSignal): Promise<Sent> {
    const accumulator = new StreamAccumulator();
    const reader = new SseReader(accumulator);
    const body = JSON.stringify({ ...params, stream: true, stream_options: { include_usage: true } });
    const answer = await this.transport.post(body, { signal, timeoutMs: this.options.timeoutMs, onChunk: (text) => reader.push(text) });
    if (answer.status < 200 || answer.status >= 300) return { kind: "failed", failure: describeStatus(answer) };
    return { kind: "answer", parts: accumulator.result() };
  }

  private async waitBeforeRetry(ms: number, request: ModelRequest): Promise<void> {
    try {
      await this.sleep(ms, request.signal);
    } catch (error) {
      if (request.signal?.aborted) throw this.cancelledError(request);
      throw error;
    }
  }

  private throwIfCancelled(request: ModelRequest): void {
    if (request.signal?.aborted) throw this.cancelledError(request);
  }

  private cancelledError(request: ModelRequest): CancelledError {
    return new CancelledError(`the ${request.purpose} request to model "${this.options.model}" was cancelled`);
  }

  private requestError(failure: AttemptFailure, attempts: number, request: ModelRequest): ModelRequestError {
    const message = `POST ${this.endpoint} (model "${this.options.model}") failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${failure.description}`;
    return new ModelRequestError(
      this.redact(message),
      { kind: failure.kind, ...(failure.status !== undefined ? { status: failure.status } : {}), attempts, purpose: request.purpose, retryable: failure.retryable },
      { cause: failure.cause },
    );
  }

  private unavailableError(failure: AttemptFailure, request: ModelRequest): ModelUnavailableError {
    const message = `POST ${this.endpoint} (model "${this.options.model}") was refused: ${failure.description}; no request to this endpoint can succeed, so the run stops`;
    return new ModelUnavailableError(
      this.redact(message),
      {
        reason: failure.systemic ?? "not_found",
        endpoint: this.endpoint,
        model: this.options.model,
        purpose: request.purpose,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
      },
      { cause: failure.cause },
    );
  }

  /** Servers sometimes echo the key in an error body; it must never reach a log or an error message. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key.length >= MIN_REDACTED_KEY_LENGTH ? text.split(key).join("***") : text;
  }
}

/** Tool calls under the names the caller gave (the endpoint saw renamed ones). */
function mapToolCallsBack(parts: CompletionParts, names: ToolNameMap | undefined): CompletionParts {
  if (!names || parts.toolCalls.length === 0) return parts;
  return { ...parts, toolCalls: parts.toolCalls.map((call) => ({ ...call, function: { ...call.function, name: names.fromEndpoint(call.function.name) } })) };
}

/** About four characters a token: what the token bucket takes up front (settled with the real usage). */
function estimateTokens(params: Params): number {
  let characters = 0;
  for (const message of params.messages) if (typeof message.content === "string") characters += message.content.length;
  return Math.ceil(characters / 4) + (outputLimitOf(params) ?? 0) / 4;
}
