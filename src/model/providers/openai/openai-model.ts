import OpenAI, { APIError } from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import type { ModelRef } from "../../../domain/common.js";
import { CancelledError } from "../../../errors/cancelled-error.js";
import { ModelRequestError } from "../../../errors/model-request-error.js";
import { forwardAbort } from "../../../support/forward-abort.js";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../language-model.js";
import { describeFailure, type AttemptFailure, type ErrorResponseInfo } from "./failure.js";
import { toChatCompletionParams } from "./request-mapping.js";
import { fromChatCompletion, StreamAccumulator, type CompletionParts } from "./response-mapping.js";
import { sleep } from "../../../support/concurrency.js";
import { backoffDelayMs } from "./retry-policy.js";

export interface OpenAIModelOptions {
  model: string;
  apiKey: string;
  /** e.g. http://127.0.0.1:8000/v1; undefined = https://api.openai.com/v1 (the openai package's default). */
  baseUrl?: string | undefined;
  /** Per-attempt timeout, covering the whole answer (headers and body). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  temperature?: number | undefined;
  maxOutputTokens?: number | undefined;
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

/** A LanguageModel for any OpenAI-compatible chat-completions endpoint. */
export function createOpenAIModel(options: OpenAIModelOptions): LanguageModel {
  return new OpenAIChatModel(options);
}

type AttemptOutcome = { kind: "answer"; parts: CompletionParts } | { kind: "cancelled" } | { kind: "failed"; failure: AttemptFailure };

class OpenAIChatModel implements LanguageModel {
  readonly ref: ModelRef;
  private readonly client: OpenAI;
  private readonly endpoint: string;
  /** Error responses as they came over the wire, keyed by their Headers object (see recordingFetch). */
  private readonly errorResponses = new WeakMap<Headers, ErrorResponseInfo>();
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: OpenAIModelOptions) {
    this.ref = { provider: "openai", model: options.model };
    const baseURL = options.baseUrl ?? DEFAULT_BASE_URL;
    this.endpoint = `${baseURL.replace(/\/+$/, "")}/chat/completions`;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    // maxRetries 0: retrying is done here, so that the policy is explicit and testable.
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL, timeout: options.timeoutMs, maxRetries: 0, fetch: this.recordingFetch });
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const params = toChatCompletionParams(request, this.options);
    const started = performance.now();
    const maxAttempts = Math.max(0, Math.floor(this.options.maxRetries)) + 1;
    for (let attempt = 1; ; attempt++) {
      this.throwIfCancelled(request);
      const outcome = await this.attempt(params, request.signal);
      if (outcome.kind === "answer") {
        return { ...outcome.parts, model: this.ref, latencyMs: Math.round(performance.now() - started) };
      }
      if (outcome.kind === "cancelled") throw this.cancelledError(request);
      const { failure } = outcome;
      if (!failure.retryable || attempt >= maxAttempts) throw this.requestError(failure, attempt, request);
      await this.waitBeforeRetry(failure.retryAfterMs ?? backoffDelayMs(attempt - 1, this.random), request);
    }
  }

  /** One request with its own timeout; the caller's signal aborts it too. Never throws. */
  private async attempt(params: ChatCompletionCreateParamsNonStreaming, callerSignal: AbortSignal | undefined): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const release = forwardAbort(callerSignal, controller);
    try {
      const parts = this.options.stream ? await this.sendStreaming(params, controller.signal) : await this.send(params, controller.signal);
      return { kind: "answer", parts };
    } catch (error) {
      if (callerSignal?.aborted) return { kind: "cancelled" };
      const errorResponse = error instanceof APIError && error.headers ? this.errorResponses.get(error.headers) : undefined;
      return { kind: "failed", failure: describeFailure(error, { timedOut, timeoutMs: this.options.timeoutMs, errorResponse }) };
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  private async send(params: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<CompletionParts> {
    // Read as unknown: compatible servers do not always match the package's types.
    const completion: unknown = await this.client.chat.completions.create(params, { signal });
    return fromChatCompletion(completion);
  }

  private async sendStreaming(params: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<CompletionParts> {
    const stream = await this.client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    const accumulator = new StreamAccumulator();
    for await (const chunk of stream) accumulator.add(chunk);
    return accumulator.result();
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
      { ...(failure.status !== undefined ? { status: failure.status } : {}), attempts, purpose: request.purpose, retryable: failure.retryable },
      { cause: failure.cause },
    );
  }

  /** Servers sometimes echo the key in an error body; it must never reach a log or an error message. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key.length >= MIN_REDACTED_KEY_LENGTH ? text.split(key).join("***") : text;
  }

  /**
   * fetch for the openai client that also keeps the raw text of error responses: the package keeps only
   * the body's `error` field, so bodies shaped otherwise (vLLM's {message}, FastAPI's {detail}, plain
   * text) would be lost. The package hands the same Headers object to the APIError it builds.
   */
  private readonly recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (!response.ok) {
      const body = await response
        .clone()
        .text()
        .catch(() => "");
      this.errorResponses.set(response.headers, { statusText: response.statusText, body });
    }
    return response;
  };
}
