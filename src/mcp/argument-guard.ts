import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { isObject } from "../support/is-object.js";

type Deliver = NonNullable<Transport["onmessage"]>;

/** Deeper parameters are refused before any parser walks them (a recursive walk would overflow the stack). */
export const MAX_PARAMS_DEPTH = 64;
/** The longest string a tool argument may hold (in characters), anywhere in the arguments. */
export const MAX_STRING_LENGTH = 100_000;
/** Tighter limits for strings that are stored and shown again and again, by argument name. */
export const STRING_LIMITS: Readonly<Record<string, number>> = { goal: 10_000, message: 20_000, name: 1_000, title: 1_000 };

/**
 * Watch the messages a transport delivers to the server for requests the SDK cannot parse (its answer to
 * those is its request schema's raw zod issues, as an internal error, or a bare stack overflow): parameters
 * nested deeper than MAX_PARAMS_DEPTH, a `tools/call` without a tool name, arguments that are not a JSON
 * object, and a string longer than its limit (STRING_LIMITS by name, else MAX_STRING_LENGTH: a 9 MiB goal
 * would be stored and sent to every model that sees the task) each get an invalid-params error (-32602) that
 * says what is wrong and how to send it. Everything else passes through untouched.
 */
export function guardToolCalls<T extends Transport>(transport: T): T {
  let deliver: Deliver | undefined;
  const guarded: Deliver = (message, extra) => {
    const answer = isJSONRPCRequest(message) ? answerMalformedRequest(message) : undefined;
    if (answer) void transport.send(answer).catch((error: unknown) => transport.onerror?.(error instanceof Error ? error : new Error(String(error))));
    else deliver?.(message, extra);
  };
  // The server's protocol layer assigns onmessage when it connects; the transport gets the guarded handler
  // instead. Some transports keep onmessage behind an accessor (the Node Streamable HTTP one hands it to an
  // inner transport), so an inherited accessor is called through.
  const inherited = findAccessor(transport, "onmessage");
  let current: Deliver | undefined;
  Object.defineProperty(transport, "onmessage", {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (handler: Deliver | undefined) => {
      deliver = handler;
      current = handler ? guarded : undefined;
      inherited?.set?.call(transport, current);
    },
  });
  return transport;
}

function findAccessor(target: object, key: string): PropertyDescriptor | undefined {
  for (let object: object | null = target; object !== null; object = Object.getPrototypeOf(object) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor) return descriptor.set ? descriptor : undefined;
  }
  return undefined;
}

function answerMalformedRequest(request: JSONRPCRequest): JSONRPCMessage | undefined {
  const invalid = (message: string): JSONRPCMessage => ({ jsonrpc: "2.0", id: request.id, error: { code: ErrorCode.InvalidParams, message } });
  if (exceedsDepth(request.params, MAX_PARAMS_DEPTH)) return invalid(`Invalid ${request.method} request: the params are nested deeper than ${MAX_PARAMS_DEPTH} levels; send flatter arguments`);
  if (request.method !== "tools/call") return undefined;
  const params = request.params as Record<string, unknown> | undefined;
  const name = params?.name;
  if (typeof name !== "string" || name === "") return invalid("Invalid tools/call request: params.name must be the name of a tool (see tools/list), with its arguments as a JSON object in params.arguments");
  const args = params?.arguments;
  if (isObject(args)) {
    const long = findLongString(args);
    return long ? invalid(`Invalid arguments for tool ${name}: ${long.path} is ${long.length} characters long, more than the ${long.limit} it may have; shorten it`) : undefined;
  }
  if (args === undefined) return undefined;
  const got = Array.isArray(args) ? "an array" : args === null ? "null" : `a ${typeof args}`;
  const hint = typeof args === "string" && /^\s*\{/.test(args) ? " It looks like JSON text: send the object itself, not a string holding it." : "";
  return invalid(`Invalid arguments for tool ${name}: arguments must be a JSON object of named arguments, got ${got}.${hint} The tool's inputSchema in tools/list names them.`);
}

/** The first string of the arguments longer than its limit, with its path (`rubric.criteria[0].description`). */
function findLongString(args: Record<string, unknown>): { path: string; length: number; limit: number } | undefined {
  const stack: Array<{ value: unknown; path: string; key: string }> = Object.entries(args).map(([key, value]) => ({ value, path: key, key }));
  while (stack.length > 0) {
    const { value, path, key } = stack.pop() as { value: unknown; path: string; key: string };
    if (typeof value === "string") {
      const limit = Object.hasOwn(STRING_LIMITS, key) ? (STRING_LIMITS[key] as number) : MAX_STRING_LENGTH;
      if (value.length > limit) return { path, length: value.length, limit };
    } else if (Array.isArray(value)) value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]`, key }));
    else if (isObject(value)) for (const [child, item] of Object.entries(value)) stack.push({ value: item, path: `${path}.${child}`, key: child });
  }
  return undefined;
}

/** Whether a JSON value nests objects or arrays deeper than `limit`, found without recursion. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop() as { value: unknown; depth: number };
    if (item === null || typeof item !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (child !== null && typeof child === "object") stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
