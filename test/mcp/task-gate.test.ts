import { CallToolResultSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/domain/agent.js";
import type { TaskGateVerdict, TaskRecord } from "../../src/domain/task.js";
import type { ToolRecord } from "../../src/domain/tool.js";
import { openTestHost, structuredOf, type TestHost } from "../helpers/mcp-client.js";
import { snapshotDirectory } from "../helpers/store-snapshot.js";

let host: TestHost;
let agent: AgentRecord;
let getTool: ToolRecord;
let cancelTool: ToolRecord;
const ORDER = { id: "ORD-10442", status: "pending", customer_email: "rita@example.com", total_amount: 42 };
const DELIVERED = { ...ORDER, id: "ORD-20871", status: "delivered" };

beforeAll(async () => {
  host = await openTestHost();
  const { domains } = structuredOf<{ domains: Array<{ id: string; name: string }> }>(await host.call("evolve_domains", { count: 1 }));
  expect(domains[0]?.name).toBe("online_orders");
  await host.call("synthesize_tools", { domainIds: [domains[0]?.id], perDomain: 8 });
  getTool = await host.workspace.getTool("get_order");
  cancelTool = await host.workspace.getTool("cancel_order");
  agent = structuredOf<AgentRecord>(await host.call("create_agent", { name: "Orders desk", systemPrompt: "You help customers with their orders. Verify ids, confirm before changes.", tools: [getTool.name, cancelTool.name] }));
});
afterAll(async () => host.close());

function taskInput(blueprint: unknown, initialState: unknown = { entities: { order: { [ORDER.id]: ORDER, [DELIVERED.id]: DELIVERED } } }): Record<string, unknown> {
  return {
    agentId: agent.id,
    goal: "Cancel my pending order.",
    scenario: "You ordered by mistake and want the order cancelled. You know your order number; you do not know its status.",
    shape: "chained",
    persona: { name: "Rita", style: "short and polite" },
    hiddenFacts: [{ key: "order_id", value: ORDER.id, description: "your order number" }],
    initialState,
    blueprint,
    rubric: { criteria: [{ id: "helpful", kind: "llm", description: "The assistant explained the outcome." }] },
  };
}

async function refused(name: string, args: unknown): Promise<string> {
  const before = await snapshotDirectory(host.workspace.dataDir);
  const result = (await host.client.request({ method: "tools/call", params: { name, arguments: args } } as never, CallToolResultSchema)) as CallToolResult;
  expect(result.isError).toBe(true);
  expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

describe("create_task and update_task answer with the gate's verdict", () => {
  let task: TaskRecord;

  it("computes the blueprint's final state by running its actions, and says the task passed", async () => {
    const actions = [
      { tool: getTool.name, arguments: { order_id: ORDER.id } },
      { tool: cancelTool.name, arguments: { order_id: ORDER.id } },
    ];
    const { gate, ...created } = structuredOf<TaskRecord & { gate: TaskGateVerdict }>(await host.call("create_task", taskInput({ actions, answerFacts: [] })));
    task = created;
    expect(gate).toEqual({ passed: true, problems: [], verifiable: true });
    expect(task.blueprint?.actions).toEqual(actions);
    expect(task.blueprint?.finalState).toEqual({ entities: { order: { [ORDER.id]: { ...ORDER, status: "cancelled" }, [DELIVERED.id]: DELIVERED } } });
    expect(await host.workspace.getTask(task.id)).toEqual(task);
  });

  it("refuses a blueprint that fails on the initial state, with the reason, and stores nothing", async () => {
    const text = await refused("create_task", taskInput({ actions: [{ tool: cancelTool.name, arguments: { order_id: DELIVERED.id } }], answerFacts: [] }));
    expect(text).toMatch(/fails the gate before simulation/);
    expect(text).toMatch(/action_error: .*ORD-20871 cannot be cancelled: it is delivered/);
  });

  it("never takes a final state from the author", async () => {
    const text = await refused("create_task", taskInput({ actions: [], answerFacts: [], finalState: { entities: {} } }));
    expect(text).toMatch(/finalState/);
  });

  it("puts an update through the gate again: a change that breaks the blueprint is refused, one that keeps it recomputes the final state", async () => {
    const text = await refused("update_task", { taskId: task.id, initialState: { entities: { order: { [DELIVERED.id]: DELIVERED } } } });
    expect(text).toMatch(/unknown_record: hidden fact order_id names order ORD-10442/);
    expect(text).toMatch(/action_error/);
    const { gate, ...updated } = structuredOf<TaskRecord & { gate: TaskGateVerdict }>(
      await host.call("update_task", { taskId: task.id, initialState: { entities: { order: { [ORDER.id]: { ...ORDER, status: "paid" } } } } }),
    );
    expect(gate.passed).toBe(true);
    expect(updated.blueprint?.finalState).toEqual({ entities: { order: { [ORDER.id]: { ...ORDER, status: "cancelled" } } } });
    expect(await host.workspace.getTask(task.id)).toEqual(updated);
  });
});
