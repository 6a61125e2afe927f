import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type RunningHttpServer } from "../../../src/mcp/transports/http.js";
import { openTestHost, type TestHost } from "../../helpers/mcp-client.js";

const TOKEN = "report-route-token";
let host: TestHost;
let server: RunningHttpServer;
let origin: string;
let datasetId: string;

beforeAll(async () => {
  host = await openTestHost();
  datasetId = (await host.workspace.runPipeline({})).datasetId;
  server = await startHttpServer(host.workspace, { host: "127.0.0.1", port: 0, token: TOKEN, log: () => undefined });
  origin = new URL(server.url).origin;
});
afterAll(async () => {
  await server.close();
  await host.close();
});

/** A raw GET whose path is sent as written (fetch would resolve `..` first). */
function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, method = "GET"): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("/report over serve --http", () => {
  it("is behind the token; the first request writes the newest dataset's report and sends the browser to it", async () => {
    expect((await get("/report/", {})).status).toBe(401);
    expect((await get("/report/", { authorization: "Bearer wrong" })).status).toBe(401);
    const first = await get("/report");
    expect(first).toMatchObject({ status: 302, headers: { location: `/report/${datasetId}/` } });
    const page = await get(`/report/${datasetId}/`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    const script = await get(`/report/${datasetId}/assets/report.js`);
    expect(script).toMatchObject({ status: 200, headers: { "content-type": expect.stringMatching(/^text\/javascript/) } });
    expect((await get(`/report/${datasetId}/data/manifest.js`)).body).toMatch(/^agentsynthReport\.receive\("manifest"/);
    expect((await host.workspace.locateReport()).written).toBe(true);
  });

  it("?token=T sets a cookie for /report only and drops the token from the address", async () => {
    const accepted = await get(`/report/${datasetId}/?token=${TOKEN}`, {});
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/report/${datasetId}/`);
    const cookie = String(accepted.headers["set-cookie"]).split(";")[0] ?? "";
    expect(String(accepted.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Strict; Path=\/report/);
    expect(cookie).not.toContain(TOKEN);
    expect((await get(`/report/${datasetId}/`, { cookie })).status).toBe(200);
    expect((await get(`/report/${datasetId}/`, { cookie: "agentsynth_report=forged" })).status).toBe(401);
  });

  it("serves only the files of the report: no way out of its folder, no hidden files, reads only", async () => {
    for (const path of [`/report/${datasetId}/%2e%2e/%2e%2e/mcp.json`, `/report/${datasetId}/..%2f..%2fmcp.json`, `/report/${datasetId}/agentsynth-report.json/x`, `/report/${datasetId}/.hidden`, `/report/${datasetId}/data/missing.js`, `/report/${datasetId}/data/`]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
    }
    expect((await get("/report/ds_missing/")).status).toBe(404);
    expect((await get(`/report/${datasetId}/`, { authorization: `Bearer ${TOKEN}` }, "POST")).status).toBe(405);
  });

  it("agentsynth://report names the URL the server serves it at", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: "report-host", version: "1.0.0" });
    await client.connect(transport);
    const { contents } = await client.readResource({ uri: "agentsynth://report" });
    const [first] = contents;
    expect(JSON.parse(first && "text" in first ? first.text : "{}")).toMatchObject({ datasetId, httpUrl: `${origin}/report/`, written: true });
    await client.close();
  });
});
