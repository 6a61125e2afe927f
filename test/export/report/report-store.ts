import { SCHEMA_VERSION } from "../../../src/domain/common.js";
import type { DatasetRecord } from "../../../src/domain/dataset.js";
import type { Store } from "../../../src/store/types.js";
import { makeEpisode, makeJudgment, makeTask, makeTool } from "../../store/fixtures.js";

/** Appends in flight while filling (the store writes what is queued together). */
const FILL_CHUNK = 500;
const provenance = { source: "test:report", models: {}, promptHashes: [] };
const CREATED_AT = "2025-01-02T03:04:05.000Z";

/** Reason codes the synthetic dataset rejects episodes with, in turn. */
export const SYNTHETIC_REASONS = ["verdict_fail", "near_duplicate", "cap_per_task"];

/**
 * A store holding `count` synthetic ~5 KB episodes of one agent in one domain, each judged (every third fails
 * with `tool_not_called_as_expected`), and a dataset that keeps the even ones and rejects the odd ones (reason
 * codes from SYNTHETIC_REASONS in turn): the report tests' and the report benchmark's data.
 */
export async function fillReportStore(store: Store, count: number, options: { rounds?: number } = {}): Promise<DatasetRecord> {
  await store.domains.put({
    id: "dom-orders",
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance,
    kind: "domain",
    category: "Retail",
    name: "online_orders",
    title: "Online orders",
    description: "Orders, refunds and deliveries of an outdoor shop.",
    organization: "Northwind Outfitters",
    entities: [{ name: "order", plural: "orders", idPrefix: "ORD", description: "An order.", fields: [{ name: "status", description: "Its status.", schema: { type: "string" }, examples: [] }], actions: ["refund"] }],
  });
  await store.agents.put({ id: "agent-1", createdAt: CREATED_AT, schemaVersion: SCHEMA_VERSION, provenance, kind: "agent", name: "Northwind support", domainId: "dom-orders", domainIds: ["dom-orders"], rules: [], systemPrompt: "You help customers.", toolIds: ["tool-get-order", "tool-refund-order"], behavior: { confirmBeforeWrite: true, verbosity: "normal", parallelToolCalls: true } });
  await store.tasks.put(makeTask("task-1"));
  await store.tools.putMany([makeTool("tool-get-order", "get_order"), makeTool("tool-refund-order", "refund_order")]);
  const kept: string[] = [];
  const rejected: DatasetRecord["rejected"] = [];
  for (let start = 0; start < count; start += FILL_CHUNK) {
    const ids = Array.from({ length: Math.min(FILL_CHUNK, count - start) }, (_, offset) => `ep-${String(start + offset).padStart(6, "0")}`);
    await Promise.all(ids.map((id) => store.episodes.append(makeEpisode(id, options.rounds))));
    await Promise.all(
      ids.map((id, offset) => {
        const failing = (start + offset) % 3 === 0;
        const judgment = makeJudgment(`jdg-${id}`, id);
        return store.judgments.append(failing ? { ...judgment, verdict: "fail", score: 0.35, reasons: ["tool_not_called_as_expected"] } : judgment);
      }),
    );
    ids.forEach((id, offset) => {
      const ordinal = start + offset;
      if (ordinal % 2 === 0) kept.push(id);
      else rejected.push({ episodeId: id, reasons: [SYNTHETIC_REASONS[((ordinal - 1) / 2) % SYNTHETIC_REASONS.length] ?? "verdict_fail"] });
    });
  }
  const rejectionCounts: Record<string, number> = {};
  for (const entry of rejected) for (const reason of entry.reasons) rejectionCounts[reason] = (rejectionCounts[reason] ?? 0) + 1;
  const dataset: DatasetRecord = {
    id: "ds-synthetic",
    createdAt: CREATED_AT,
    schemaVersion: SCHEMA_VERSION,
    provenance: { ...provenance, seed: 7 },
    kind: "dataset",
    name: "synthetic",
    filter: { minScore: 0.7 },
    episodeIds: kept,
    rejected,
    rejectionCounts,
    exports: [],
  };
  await store.datasets.put(dataset);
  return dataset;
}
