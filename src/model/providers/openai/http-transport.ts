import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/*
 * POST JSON to an OpenAI-compatible endpoint over node:http(s) with keep-alive sockets. Measured against the
 * pipeline benchmark's endpoint, one request costs the client a fraction of what `fetch` (undici with web
 * streams, Request and Headers objects) costs, and client CPU is what limits a run at high concurrency.
 */

/** The endpoint answered with a status (any); the body is read whole as text. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The attempt's own timer fired. */
export class RequestTimeoutError extends Error {}

/** The caller's signal aborted the request. */
export class RequestAbortedError extends Error {}

/** Keep-alive agents shared by every endpoint: idle sockets are reused, and never keep the process alive. */
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: "lifo" }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, scheduling: "lifo" }),
};

export interface PostOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Called with each chunk of a 2xx body as it arrives (streamed answers); the answer's `body` is then "". */
  onChunk?: ((text: string) => void) | undefined;
}

export class HttpTransport {
  readonly #url: URL;
  readonly #secure: boolean;
  readonly #headers: Record<string, string>;

  constructor(url: string, apiKey: string) {
    this.#url = new URL(url);
    this.#secure = this.#url.protocol === "https:";
    this.#headers = { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${apiKey}`, "user-agent": "agentsynth" };
  }

  /**
   * POST `body`. A keep-alive socket the server closed just as it was reused (ECONNRESET on a reused socket)
   * is tried once more on a fresh one: the request never reached the server.
   */
  async post(body: string, options: PostOptions): Promise<HttpAnswer> {
    try {
      return await this.#post(body, options);
    } catch (error) {
      if (error instanceof StaleSocketError) return this.#post(body, options);
      throw error;
    }
  }

  #post(body: string, options: PostOptions): Promise<HttpAnswer> {
    const { signal, timeoutMs, onChunk } = options;
    return new Promise<HttpAnswer>((resolve, reject) => {
      if (signal.aborted) return reject(new RequestAbortedError("aborted"));
      const send = this.#secure ? httpsRequest : httpRequest;
      const request = send(this.#url, {
        method: "POST",
        agent: this.#secure ? agents.https : agents.http,
        headers: { ...this.#headers, "content-length": Buffer.byteLength(body) },
      });
      let settled = false;
      const finish = (error: Error | undefined, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(answer as HttpAnswer);
      };
      const timer = setTimeout(() => finish(new RequestTimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs);
      const onAbort = (): void => finish(new RequestAbortedError("aborted"));
      signal.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error: NodeJS.ErrnoException) => finish(request.reusedSocket && error.code === "ECONNRESET" ? new StaleSocketError(error.message, { cause: error }) : error));
      request.on("response", (response: IncomingMessage) => {
        const streaming = onChunk !== undefined && response.statusCode !== undefined && response.statusCode < 300;
        const chunks: Buffer[] = [];
        if (streaming) {
          // Decoded as it comes, so that a character split across chunks stays whole.
          response.setEncoding("utf8");
          response.on("data", (text: string) => {
            try {
              onChunk(text);
            } catch (error) {
              finish(error as Error);
            }
          });
        } else {
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
        }
        response.on("error", (error) => finish(error));
        // Closed before its end: the connection broke mid-answer.
        response.on("close", () => {
          if (!response.complete) finish(Object.assign(new Error("the connection closed before the answer was complete"), { code: "ECONNRESET" }));
        });
        response.on("end", () =>
          finish(undefined, { status: response.statusCode ?? 0, statusText: response.statusMessage ?? "", headers: response.headers, body: streaming ? "" : Buffer.concat(chunks).toString("utf8") }),
        );
      });
      request.end(body);
    });
  }
}

/** A reused keep-alive socket was already closed by the server. */
class StaleSocketError extends Error {}
