import type { JsonObject, JsonValue } from "../domain/common.js";
import type { Execution, StateDifference, ToolStep, Verification } from "../domain/episode.js";
import type { TaskBlueprint } from "../domain/task.js";
import { stableStringify } from "../support/hash.js";
import { isObject } from "../support/is-object.js";
import { ENTITIES_KEY, readEntities, readRecords } from "./entity-state.js";
import { describeValue, sameValue } from "./values.js";

/*
 * An episode checked against its task's blueprint: the world state it left against the blueprint's final state —
 * the records the blueprint touches as it says, everything else as it was (records an episode creates are paired
 * with the blueprint's by their fields, whatever ids they got) — and its final answer against the answer facts.
 * Not applicable when the task has no blueprint, or when a tool that could change the world outside the executor
 * was used or is needed (no declared effect, a real server).
 */

export interface VerifyEpisodeInput {
  blueprint: TaskBlueprint | undefined;
  initialState: JsonObject;
  finalState: JsonObject;
  /** The text of the agent's last answer. */
  finalAnswer: string;
  steps: ReadonlyArray<Pick<ToolStep, "toolName" | "execution" | "outcome">>;
  /** Names of the tools with a declared effect (the ones the environment executes). */
  executableTools: ReadonlySet<string>;
}

const ANSWERED_BY: Record<Exclude<Execution, "environment">, string> = {
  real: "a live MCP server",
  simulated: "the tool simulator",
  recorded: "a recorded real answer",
  fallback: "the tool simulator after a live call failed",
};

export function verifyEpisode(input: VerifyEpisodeInput): Verification {
  const notApplicable = (reason: string): Verification => ({ applicable: false, reason, missingFacts: [], diff: [] });
  if (!input.blueprint) return notApplicable("the task has no blueprint");
  const blueprintTool = input.blueprint.actions.find((action) => !input.executableTools.has(action.tool));
  if (blueprintTool) return notApplicable(`the blueprint uses ${blueprintTool.tool}, which has no declared effect`);
  const outside = input.steps.find((step) => step.outcome !== "invalid_call" && step.execution !== "environment");
  if (outside && outside.execution !== "environment") return notApplicable(`${outside.toolName} was answered by ${ANSWERED_BY[outside.execution]}, not the environment`);
  const diff = diffWorldStates(input.initialState, input.blueprint.finalState, input.finalState);
  return { applicable: true, stateMatches: diff.length === 0, missingFacts: findMissingFacts(input.blueprint.answerFacts, input.finalAnswer), diff };
}

/** How `actual` differs from `expected`, record by record and field by field; records created since `initial` are paired by their fields. */
export function diffWorldStates(initial: JsonObject, expected: JsonObject, actual: JsonObject): StateDifference[] {
  const diff: StateDifference[] = [];
  for (const key of unionKeys(expected, actual)) {
    if (key === ENTITIES_KEY) continue;
    if (stableStringify(expected[key] ?? null) !== stableStringify(actual[key] ?? null)) diff.push(difference([key], expected[key], actual[key]));
  }
  const initialEntities = readEntities(initial);
  const expectedEntities = readEntities(expected);
  const actualEntities = readEntities(actual);
  for (const entity of unionKeys(expectedEntities, actualEntities)) {
    const before = readRecords(initialEntities[entity]);
    const wanted = readRecords(expectedEntities[entity]);
    const got = readRecords(actualEntities[entity]);
    for (const id of new Set([...wanted.keys(), ...got.keys()])) {
      if (!before.has(id) && !(wanted.has(id) && got.has(id))) continue;
      diff.push(...diffRecords([ENTITIES_KEY, entity, id], wanted.get(id), got.get(id)));
    }
    const created = (records: Map<string, JsonObject>) => [...records].filter(([id]) => !before.has(id) && !(wanted.has(id) && got.has(id)));
    diff.push(...pairCreated(entity, created(wanted), created(got)));
  }
  return diff;
}

/** Created records of one entity paired by the most fields in common; the unpaired are missing or unexpected. */
function pairCreated(entity: string, wanted: Array<[string, JsonObject]>, got: Array<[string, JsonObject]>): StateDifference[] {
  const diff: StateDifference[] = [];
  const unpaired = [...got];
  for (const [id, record] of wanted) {
    let best = -1;
    let bestScore = -1;
    unpaired.forEach(([, candidate], index) => {
      const score = Object.keys(record).filter((field) => field !== "id" && sameValue(record[field], candidate[field])).length;
      if (score > bestScore) [best, bestScore] = [index, score];
    });
    const match = best >= 0 ? unpaired.splice(best, 1)[0] : undefined;
    if (!match) diff.push(difference([ENTITIES_KEY, entity, id], record, undefined));
    else diff.push(...diffRecords([ENTITIES_KEY, entity, match[0]], { ...record, id: match[0] }, match[1]));
  }
  for (const [id, record] of unpaired) diff.push(difference([ENTITIES_KEY, entity, id], undefined, record));
  return diff;
}

function diffRecords(path: string[], expected: JsonObject | undefined, actual: JsonObject | undefined): StateDifference[] {
  if (!expected || !actual) return expected === actual ? [] : [difference(path, expected, actual)];
  return unionKeys(expected, actual)
    .filter((field) => !sameDeep(expected[field], actual[field]))
    .map((field) => difference([...path, field], expected[field], actual[field]));
}

function sameDeep(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isObject(a) || isObject(b) || Array.isArray(a) || Array.isArray(b)) return stableStringify(a ?? null) === stableStringify(b ?? null);
  return sameValue(a, b);
}

function difference(path: string[], expected: JsonValue | undefined, actual: JsonValue | undefined): StateDifference {
  return { path, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
}

function unionKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** The answer facts a final answer does not state: text found regardless of case, underscores and spacing; numbers found by value. */
export function findMissingFacts(facts: readonly string[], answer: string): string[] {
  const text = normalizeText(answer);
  const numbers = (answer.replace(/(\d),(\d{3})/g, "$1$2").match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
  return facts.filter((fact) => {
    const trimmed = fact.trim().replace(/^[$€£]/, "").replace(/(\d),(\d{3})/g, "$1$2");
    if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return !numbers.some((number) => Math.abs(number - Number(trimmed)) < 0.005);
    return !text.includes(normalizeText(fact));
  });
}

function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[_\s]+/g, " ").trim();
}

/** A difference as a line of text: `entities.order.ORD-1.status: expected cancelled, got pending`. */
export function describeDifference(difference: StateDifference): string {
  const what = difference.expected === undefined ? `not expected, got ${describeValue(difference.actual)}` : difference.actual === undefined ? `expected ${describeValue(difference.expected)}, missing` : `expected ${describeValue(difference.expected)}, got ${describeValue(difference.actual)}`;
  return `${difference.path.join(".")}: ${what}`;
}
