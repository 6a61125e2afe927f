import { createHash, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, resolve, sep } from "node:path";
import { AgentsynthError } from "../../errors/agentsynth-error.js";
import type { Workspace } from "../../pipeline/workspace.js";

export const REPORT_PATH = "/report";
/** The report key of a store with no dataset (its report covers every stored episode). */
const WHOLE_STORE = "all";
const COOKIE = "agentsynth_report";
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
};

export function isReportPath(path: string): boolean {
  return path === REPORT_PATH || path.startsWith(`${REPORT_PATH}/`);
}

/**
 * A browser cannot send an Authorization header when it follows a link, so /report also accepts a cookie that
 * `?token=T` sets once (then the token leaves the address bar). The cookie holds a hash of the token, and is
 * good for /report only, never for /mcp.
 */
export function hasReportCookie(req: IncomingMessage, token: string): boolean {
  const cookies = (req.headers.cookie ?? "").split(";").map((part) => part.trim());
  const given = cookies.find((cookie) => cookie.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1) ?? "";
  return sameText(given, cookieValue(token));
}

/**
 * `GET /report?token=T`: check the token, set the cookie and send the browser on without the token; answers
 * and returns true when it handled the request.
 */
export function acceptTokenInQuery(req: IncomingMessage, res: ServerResponse, token: string): boolean {
  const url = new URL(req.url ?? "/", "http://localhost");
  const given = url.searchParams.get("token");
  if (given === null || !sameText(given, token)) return false;
  url.searchParams.delete("token");
  res.writeHead(303, {
    location: `${url.pathname}${url.search}`,
    "set-cookie": `${COOKIE}=${cookieValue(token)}; HttpOnly; SameSite=Strict; Path=${REPORT_PATH}`,
    "cache-control": "no-store",
  });
  res.end();
  return true;
}

/**
 * Serve the report of a dataset at `/report/<dataset id>/…` (`/report` goes to the newest dataset's), writing it
 * on the first request when its folder holds none. Files are served from the report folder only.
 */
export async function serveReport(workspace: Workspace, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return sendText(res, 405, "method not allowed: the report is read with GET");
  }
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const [key = "", ...rest] = path.slice(REPORT_PATH.length + 1).split("/");
  let location;
  try {
    location = await workspace.openReport(key === "" || key === WHOLE_STORE ? undefined : decodeURIComponent(key));
  } catch (error) {
    if (error instanceof AgentsynthError && (error.code === "INPUT_INVALID" || error.code === "NOT_FOUND")) return sendText(res, 404, `no report: ${error.message}`);
    throw error;
  }
  const canonical = location.datasetId ?? WHOLE_STORE;
  if (key !== canonical || rest.length === 0) return redirect(res, `${REPORT_PATH}/${encodeURIComponent(canonical)}/${rest.join("/")}`);
  const file = resolveInside(location.directory, rest.length === 1 && rest[0] === "" ? ["index.html"] : rest);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) return sendText(res, 404, `not found: ${path}`);
  res.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream", "content-length": info.size, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
  if (req.method === "HEAD") return void res.end();
  await new Promise<void>((done, fail) => createReadStream(file).on("error", fail).on("end", done).pipe(res));
}

/** A path inside the folder, or undefined for anything that would leave it (`..`, hidden files, absolute parts). */
function resolveInside(directory: string, segments: string[]): string | undefined {
  let parts: string[];
  try {
    parts = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  if (parts.some((part) => part === "" || part.startsWith(".") || part.includes("/") || part.includes("\\") || part.includes("\0"))) return undefined;
  const root = resolve(directory);
  const file = resolve(join(root, ...parts));
  return relative(root, file).startsWith("..") || !file.startsWith(`${root}${sep}`) ? undefined : file;
}

function cookieValue(token: string): string {
  return createHash("sha256").update(`agentsynth report\0${token}`).digest("hex");
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
