import { createServer, STATUS_CODES } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real local HTTP server that speaks the OpenAI chat-completions protocol (JSON and SSE streaming),
 * for tests and benchmarks. Requests are handled concurrently; nothing is serialized.
 */

export interface FakeOpenAIRequest {
  /** The parsed JSON request body. */
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** 0-based position among the chat-completions requests this server accepted. */
  index: number;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: string;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type FakeReply =
  | {
      kind: "message";
      content?: string | null;
      toolCalls?: FakeToolCall[];
      /** Sent as `reasoning_content` (Kimi/DeepSeek style) unless `reasoningField` says otherwise. */
      reasoning?: string;
      reasoningField?: "reasoning_content" | "reasoning";
      /** Default: "tool_calls" when there are tool calls, else "stop". */
      finishReason?: string;
      /** Omitted from the response when not given. */
      usage?: FakeUsage;
    }
  | { kind: "error"; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers (for timeouts); the socket stays open until the client gives up or the server closes. */
  | { kind: "hang" }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { kind: "invalid-json" }
  /** Drops the connection without answering. */
  | { kind: "disconnect" }
  /** 200 with this JSON body as it is (garbage of a valid JSON shape: no choices, a null message, …). */
  | { kind: "raw"; body: unknown };

/** The ways an endpoint answers garbage, each as the server sends it. */
export const GARBAGE_KINDS = ["empty-choices", "null-message", "wrong-shape", "invalid-json", "http-500", "http-429", "hang", "disconnect"] as const;
export type GarbageKind = (typeof GARBAGE_KINDS)[number];

/** One garbage answer of `kind` (a 429 asks to retry after 1 ms, so that tests do not wait). */
export function garbageReply(kind: GarbageKind): FakeReply {
  switch (kind) {
    case "empty-choices":
      return { kind: "raw", body: { id: "chatcmpl-garbage", object: "chat.completion", choices: [] } };
    case "null-message":
      return { kind: "raw", body: { id: "chatcmpl-garbage", object: "chat.completion", choices: [{ index: 0, message: null, finish_reason: "stop" }] } };
    case "wrong-shape":
      return { kind: "raw", body: { result: "ok", output: [{ text: "not a chat completion" }] } };
    case "invalid-json":
      return { kind: "invalid-json" };
    case "http-500":
      return { kind: "error", status: 500 };
    case "http-429":
      return { kind: "error", status: 429, headers: { "retry-after-ms": "1" } };
    case "hang":
      return { kind: "hang" };
    case "disconnect":
      return { kind: "disconnect" };
  }
}

/**
 * An endpoint without JSON Schema output (plain-chat servers, DeepSeek): a request whose response_format is
 * json_schema is refused with a 400 that says so; everything else goes to `handler`.
 */
export function refusingJsonSchema(handler: FakeHandler): FakeHandler {
  return (request) => {
    const format = request.body.response_format as { type?: unknown } | undefined;
    if (format?.type === "json_schema") {
      return { kind: "error", status: 400, body: { error: { message: "response_format json_schema is not supported by this model", type: "invalid_request_error" } } };
    }
    return handler(request);
  };
}

export type FakeHandler = (request: FakeOpenAIRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAIServerOptions {
  handler: FakeHandler;
  /** Delay before each answer, in ms (default 0), or per request. */
  latencyMs?: number | ((request: FakeOpenAIRequest) => number);
  /**
   * A server with room for this many requests at once: one more is answered 429 at once (with retry-after-ms
   * `retryAfterMs` when given) and never reaches the handler, as a provider's concurrency limit does. Change it
   * while serving with `setCapacity`.
   */
  capacity?: number;
  retryAfterMs?: number;
  /** Keep every request in `requests` (default true; a benchmark sending thousands only counts them). */
  keepRequests?: boolean;
  /** When set, the bearer token must equal it; otherwise any non-empty bearer token is accepted. */
  apiKey?: string;
}

export interface FakeOpenAIServer {
  /** Base URL ending in /v1, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** Every chat-completions request that passed authentication, in arrival order (unless keepRequests is false). */
  requests: FakeOpenAIRequest[];
  /** How many chat-completions requests were accepted. */
  requestCount(): number;
  /** The most chat-completions requests that were in flight at the same time. */
  peakConcurrency(): number;
  /** Requests answered 429 because the server was at capacity. */
  rejected(): number;
  /** Change (or remove, with undefined) the capacity. */
  setCapacity(capacity: number | undefined): void;
  close(): Promise<void>;
}

const CHAT_PATH = "/v1/chat/completions";

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions): Promise<FakeOpenAIServer> {
  const requests: FakeOpenAIRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let peak = 0;
  let rejected = 0;
  let accepted = 0;
  let capacity = options.capacity;

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handleChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = parseJsonObject(raw);
    if (!body) return sendJson(res, 400, errorBody("the request body is not a JSON object", "invalid_request_error"));
    if (capacity !== undefined && inFlight >= capacity) {
      rejected++;
      const headers: Record<string, string> = options.retryAfterMs !== undefined ? { "retry-after-ms": String(options.retryAfterMs) } : {};
      return sendJson(res, 429, errorBody("Rate limit reached: too many requests in flight", "rate_limit_error", "rate_limit_exceeded"), headers);
    }
    const request: FakeOpenAIRequest = { body, headers: req.headers, index: accepted++ };
    if (options.keepRequests !== false) requests.push(request);
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.once("close", () => inFlight--);
    const reply = await options.handler(request);
    await delay(typeof options.latencyMs === "function" ? options.latencyMs(request) : (options.latencyMs ?? 0));
    if (!res.destroyed) sendReply(res, reply, body, request.index);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (!isAuthorized(req.headers, options.apiKey)) {
      sendJson(res, 401, errorBody("Incorrect or missing API key.", "invalid_request_error", "invalid_api_key"));
      return;
    }
    if (req.method !== "POST" || path !== CHAT_PATH) {
      sendJson(res, 404, errorBody(`no route for ${req.method ?? "?"} ${path ?? ""}`, "invalid_request_error"));
      return;
    }
    handleChat(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, errorBody(`fake server handler failed: ${String(error)}`, "server_error"));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    peakConcurrency: () => peak,
    rejected: () => rejected,
    requestCount: () => accepted,
    setCapacity: (next) => {
      capacity = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function isAuthorized(headers: IncomingHttpHeaders, apiKey: string | undefined): boolean {
  const match = /^Bearer (.+)$/.exec(headers.authorization ?? "");
  const token = match?.[1]?.trim();
  if (!token) return false;
  return apiKey === undefined || token === apiKey;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorBody(message: string, type: string, code: string | null = null): unknown {
  return { error: { message, type, param: null, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendReply(res: ServerResponse, reply: FakeReply, body: Record<string, unknown>, index: number): void {
  switch (reply.kind) {
    case "hang":
      return;
    case "disconnect":
      res.socket?.destroy();
      return;
    case "raw":
      return sendJson(res, 200, reply.body);
    case "invalid-json":
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "chatcmpl-broken", "choices": [ this is not json');
      return;
    case "error":
      return sendError(res, reply);
    case "message":
      if (body.stream === true) return sendStream(res, reply, body, index);
      return sendJson(res, 200, completionBody(reply, body, index));
  }
}

function sendError(res: ServerResponse, reply: Extract<FakeReply, { kind: "error" }>): void {
  if (typeof reply.body === "string") {
    res.writeHead(reply.status, { ...reply.headers, "content-type": "text/plain" });
    res.end(reply.body);
    return;
  }
  const body = reply.body ?? errorBody(STATUS_CODES[reply.status] ?? "error", reply.status >= 500 ? "server_error" : "invalid_request_error");
  sendJson(res, reply.status, body, reply.headers);
}

type MessageReply = Extract<FakeReply, { kind: "message" }>;

function modelOf(body: Record<string, unknown>): string {
  return typeof body.model === "string" ? body.model : "fake-model";
}

function finishReasonOf(reply: MessageReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

function toolCallId(call: FakeToolCall, index: number, position: number): string {
  return call.id ?? `call_${index}_${position}`;
}

function usageBody(usage: FakeUsage): Record<string, number> {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

function completionBody(reply: MessageReply, body: Record<string, unknown>, index: number): unknown {
  const message: Record<string, unknown> = { role: "assistant", content: reply.content ?? null, refusal: null };
  if (reply.toolCalls?.length) {
    message.tool_calls = reply.toolCalls.map((call, position) => ({
      id: toolCallId(call, index, position),
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  if (reply.reasoning !== undefined) message[reply.reasoningField ?? "reasoning_content"] = reply.reasoning;
  return {
    id: `chatcmpl-fake-${index}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: modelOf(body),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(reply) }],
    ...(reply.usage ? { usage: usageBody(reply.usage) } : {}),
  };
}

/** Streams the reply as several deltas: reasoning, content in pieces, each tool call's arguments in two halves. */
function sendStream(res: ServerResponse, reply: MessageReply, body: Record<string, unknown>, index: number): void {
  const base = { id: `chatcmpl-fake-${index}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: modelOf(body) };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): unknown => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const events: unknown[] = [chunk({ role: "assistant", content: "" })];
  if (reply.reasoning !== undefined) {
    for (const piece of splitText(reply.reasoning)) events.push(chunk({ [reply.reasoningField ?? "reasoning_content"]: piece }));
  }
  for (const piece of splitText(reply.content ?? "")) events.push(chunk({ content: piece }));
  (reply.toolCalls ?? []).forEach((call, position) => {
    const half = Math.ceil(call.arguments.length / 2);
    events.push(
      chunk({
        tool_calls: [
          { index: position, id: toolCallId(call, index, position), type: "function", function: { name: call.name, arguments: call.arguments.slice(0, half) } },
        ],
      }),
    );
    events.push(chunk({ tool_calls: [{ index: position, function: { arguments: call.arguments.slice(half) } }] }));
  });
  events.push(chunk({}, finishReasonOf(reply)));
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  if (reply.usage && options?.include_usage === true) events.push({ ...base, choices: [], usage: usageBody(reply.usage) });

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
  res.end("data: [DONE]\n\n");
}

/** Splits text into pieces of up to 8 characters, so that clients must concatenate deltas. */
function splitText(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += 8) pieces.push(text.slice(start, start + 8));
  return pieces;
}
