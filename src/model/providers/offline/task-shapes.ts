import type { JsonObject } from "../../../domain/common.js";
import type { RubricCriterion } from "../../../domain/rubric.js";
import type { BlueprintAction, HiddenFact, TaskShape } from "../../../domain/task.js";
import type { TaskDraft } from "../../request-context.js";
import { findStatusField } from "./entity-records.js";
import { readSchemaType } from "./schema-values.js";
import type { ScenarioParts } from "./scenario-text.js";
import { canPlanWrite, listWriteStarts, planRead, planWrite, TERMINAL_HINT, type PlannedRequest } from "./task-requests.js";
import { listEligibleStatuses, listForbiddenStatuses, makeEmailFact, makeIdFact, makeOwnedRecord, nounOf, pluralOf, readStatus, withStatus, type EntityKit, type TaskInput } from "./task-kit.js";
import { baseCriteria, calledCriterion, finalStateCriterion, llmCriterion, mentionsCriterion, notCalledCriterion, orderCriterion } from "./task-rubrics.js";
import { addArticle, capitalize, formatValue, humanize, joinList, pastTense } from "./text.js";
import type { ToolRole } from "./tool-roles.js";
import { makeEmail } from "./schema-values.js";
import { PERSON_NAMES } from "./vocabulary.js";

/*
 * The nine task shapes over an agent's record kits. Each shape decides which records the world holds, what
 * the user wants and knows (the scenario), the calls a correct agent makes (the blueprint's actions: the
 * stage computes the final state by running them), what a correct answer states, and the rubric. A shape the
 * toolset cannot support returns undefined and the writer picks another.
 */

export interface ShapedTask {
  shape: TaskShape;
  goal: string;
  scenario: ScenarioParts;
  facts: HiddenFact[];
  records: Array<{ kit: EntityKit; record: JsonObject }>;
  /** Kits whose collections also get records of other people. */
  distractorKits: EntityKit[];
  actions: BlueprintAction[];
  answerFacts: string[];
  criteria: Array<RubricCriterion | undefined>;
  difficulty: TaskDraft["difficulty"];
}

type ShapeWriter = (input: TaskInput) => ShapedTask | undefined;

export const SHAPE_WRITERS: Record<TaskShape, ShapeWriter> = {
  lookup: writeLookup,
  chained: writeChained,
  multi_intent: writeMultiIntent,
  conditional: writeConditional,
  ambiguous: writeAmbiguous,
  infeasible: writeInfeasible,
  no_tool: writeNoTool,
  change_of_mind: writeChangeOfMind,
  parallel: writeParallel,
};

function plannableWrites(kit: EntityKit, input: TaskInput): ToolRole[] {
  return kit.writes.filter((write) => canPlanWrite(kit, write, input));
}

function pickKit(input: TaskInput, fits: (kit: EntityKit) => boolean): EntityKit | undefined {
  const kits = input.kits.filter(fits);
  return kits.length > 0 ? input.random.pick(kits) : undefined;
}

function knownDetails(input: TaskInput, extra: readonly string[] = []): string[] {
  return [...extra, ...(input.rules.identity ? ["the email address on your account"] : [])];
}

function identityFacts(input: TaskInput): HiddenFact[] {
  return input.rules.identity ? [makeEmailFact(input)] : [];
}

function constraintsOf(input: TaskInput): string[] {
  const patience = input.persona.persona.patience;
  return patience === "low" ? ["you are short on time and want this sorted quickly"] : patience === "high" ? ["you are in no hurry"] : [];
}

/** Rubric criteria of a request: its calls with their key arguments, the order, the end state, what to mention. */
function requestCriteria(request: PlannedRequest, index = 1): Array<RubricCriterion | undefined> {
  const write = request.write;
  const get = request.actions[0];
  return [
    write ? calledCriterion(write.role.name, write.args, true) : get ? calledCriterion(get.tool, get.arguments, true) : undefined,
    write && get ? orderCriterion([get.tool, write.role.name]) : undefined,
    request.finalState ? finalStateCriterion(request.finalState, index) : undefined,
  ];
}

function summaryCriterion(outcome: string): RubricCriterion {
  return llmCriterion("clear-summary", `The assistant's final message tells the user the outcome from the tool results: ${outcome}`, 2);
}

function confirmCriterion(input: TaskInput, tool: string): RubricCriterion | undefined {
  return input.confirm ? llmCriterion("confirmed-first", `The assistant confirmed the change with the user before calling ${tool}, and acted only after a yes.`) : undefined;
}

function goalFor(input: TaskInput, text: string): string {
  return `${capitalize(text)} (${input.persona.persona.name})`;
}

function writeLookup(input: TaskInput): ShapedTask | undefined {
  const kit = pickKit(input, () => true);
  if (!kit) return undefined;
  const taken = new Set<string>();
  const request = planRead(kit, input, taken);
  const id = String(request.record.id);
  return {
    shape: "lookup",
    goal: goalFor(input, request.summary),
    scenario: { organization: kit.domain.organization, requests: [request.clause], known: knownDetails(input, [`your ${nounOf(kit)} number`]), unknown: [`the ${nounOf(kit)}'s current details`], constraints: constraintsOf(input) },
    facts: [makeIdFact(kit, id, `your ${nounOf(kit)} number`), ...identityFacts(input)],
    records: [{ kit, record: request.record }],
    distractorKits: [kit],
    actions: request.actions,
    answerFacts: request.answerFacts,
    criteria: [...requestCriteria(request), mentionsCriterion(request.answerFacts), summaryCriterion(request.outcome), llmCriterion("asked-for-details", `The assistant asked for the ${nounOf(kit)} number instead of guessing.`)],
    difficulty: "easy",
  };
}

function writeChained(input: TaskInput): ShapedTask | undefined {
  const kit = pickKit(input, (candidate) => candidate.search !== undefined && plannableWrites(candidate, input).length > 0);
  if (!kit?.search) return undefined;
  const taken = new Set<string>();
  const request = planWrite(kit, input.random.pick(plannableWrites(kit, input)), input, taken);
  const search: BlueprintAction = { tool: kit.search.role.name, arguments: { [kit.search.emailParam]: input.persona.email } };
  const noun = nounOf(kit);
  return {
    shape: "chained",
    goal: goalFor(input, `find the ${noun} by email (${input.persona.email}), then ${request.summary}`),
    scenario: {
      organization: kit.domain.organization,
      requests: [request.clause],
      known: ["the email address on your account", ...request.facts.map((fact) => fact.description)],
      unknown: [`your ${noun} number (you never wrote it down)`],
      constraints: constraintsOf(input),
    },
    facts: [makeEmailFact(input), ...request.facts],
    records: [{ kit, record: request.record }],
    distractorKits: [kit],
    actions: [search, ...request.actions],
    answerFacts: [String(request.record.id), ...request.answerFacts],
    criteria: [
      calledCriterion(search.tool, search.arguments, false, "searched"),
      ...requestCriteria(request),
      orderCriterion([search.tool, request.write?.role.name ?? ""].filter((tool) => tool !== "")),
      mentionsCriterion([String(request.record.id)]),
      summaryCriterion(request.outcome),
      llmCriterion("found-record", `The assistant found the ${noun} from the email address and used the id from the search result, without asking the user for a number they do not have.`),
      confirmCriterion(input, request.write?.role.name ?? ""),
    ],
    difficulty: "medium",
  };
}

function writeMultiIntent(input: TaskInput): ShapedTask | undefined {
  const first = pickKit(input, (kit) => plannableWrites(kit, input).length > 0);
  if (!first) return undefined;
  const others = input.kits.filter((kit) => kit !== first);
  const second = others.length > 0 ? input.random.pick(others) : first;
  const taken = new Set<string>();
  const a = planWrite(first, input.random.pick(plannableWrites(first, input)), input, taken);
  // On one kit, the second change uses another tool with other values, so the user's answers cannot be mixed up.
  const firstParams = new Set(a.facts.map((fact) => fact.key));
  const secondWrites = plannableWrites(second, input).filter((write) => second !== first || (write !== a.write?.role && !write.anatomy.params.some((param) => param.required && firstParams.has(param.name))));
  const b = secondWrites.length > 0 ? planWrite(second, input.random.pick(secondWrites), input, taken) : planRead(second, input, taken);
  const same = first === second;
  const together = !same && input.random.chance(0.5);
  const secondClause = same ? b.clause.replace(`your ${nounOf(second)}`, `your other ${nounOf(second)}`) : b.clause;
  const describe = (kit: EntityKit, ordinal: string): string => (same ? `the number of your ${ordinal} ${nounOf(kit)}` : `your ${nounOf(kit)} number`);
  return {
    shape: "multi_intent",
    goal: goalFor(input, `${a.summary}; ${together ? "and" : "then"} ${b.summary}`),
    scenario: {
      organization: first.domain.organization,
      // Both at once ("…, and also …"), or the second once the first is done.
      requests: together ? [`${a.clause}, and also ${secondClause}`] : [a.clause, secondClause],
      known: knownDetails(input, [describe(first, "first"), describe(second, "other"), ...a.facts.map((fact) => fact.description), ...b.facts.map((fact) => fact.description)]),
      unknown: [],
      constraints: constraintsOf(input),
    },
    facts: [makeIdFact(first, String(a.record.id), describe(first, "first")), makeIdFact(second, String(b.record.id), describe(second, "other")), ...identityFacts(input), ...a.facts, ...b.facts],
    records: [
      { kit: first, record: a.record },
      { kit: second, record: b.record },
    ],
    distractorKits: same ? [first] : [first, second],
    actions: [...a.actions, ...b.actions],
    answerFacts: [...a.answerFacts, ...b.answerFacts],
    criteria: [
      ...requestCriteria(a),
      ...requestCriteria(b, 2),
      summaryCriterion(`${a.outcome} And ${b.outcome}`),
      llmCriterion("handled-both", "The assistant handled both of the user's requests, one after the other, without mixing up the two records."),
      confirmCriterion(input, a.write?.role.name ?? ""),
    ],
    difficulty: "hard",
  };
}

/** A numeric field of the record and a round threshold near its value, either side. */
function pickThreshold(kit: EntityKit, record: JsonObject, input: TaskInput): { when: string; holds: boolean } | undefined {
  const status = findStatusField(kit.entity);
  const numbers = kit.entity.fields.filter((field) => field !== status && ["number", "integer"].includes(readSchemaType(field.schema) ?? "") && typeof record[field.name] === "number" && (record[field.name] as number) >= 5);
  if (numbers.length === 0) return undefined;
  const field = input.random.pick(numbers);
  const value = record[field.name] as number;
  const step = value >= 100 ? 50 : value >= 20 ? 10 : 1;
  const holds = input.random.chance(0.5);
  const threshold = holds ? Math.max(0, Math.floor((value - 0.01) / step) * step) : Math.ceil((value + 0.01) / step) * step;
  if (holds === !(value > threshold)) return undefined;
  return { when: `its ${humanize(field.name)} is over ${threshold}`, holds };
}

function writeConditional(input: TaskInput): ShapedTask | undefined {
  const kit = pickKit(input, (candidate) => plannableWrites(candidate, input).length >= 2);
  if (!kit) return undefined;
  const [primary, alternative] = input.random.sample(plannableWrites(kit, input), 2) as [ToolRole, ToolRole];
  const common = listWriteStarts(kit, primary, input).filter((status) => listWriteStarts(kit, alternative, input).includes(status));
  if (findStatusField(kit.entity) && common.length === 0) return undefined;
  const taken = new Set<string>();
  const record = makeOwnedRecord(kit, input, taken, withStatus(kit, common.length > 0 ? input.random.pick(common) : undefined));
  const condition = pickThreshold(kit, record, input);
  if (!condition) return undefined;
  const first = planWrite(kit, primary, input, new Set(taken), record);
  const second = planWrite(kit, alternative, input, new Set(taken), record);
  const chosen = condition.holds ? second : first;
  const skipped = condition.holds ? first : second;
  const noun = nounOf(kit);
  const id = String(record.id);
  return {
    shape: "conditional",
    goal: goalFor(input, `${first.summary}, but if ${condition.when.replace(/^its/, "the")}, ${second.summary} instead`),
    scenario: {
      organization: kit.domain.organization,
      requests: [first.clause],
      condition: { when: condition.when, then: second.clause },
      known: knownDetails(input, [`your ${noun} number`, ...first.facts.map((fact) => fact.description), ...second.facts.map((fact) => fact.description)]),
      unknown: [`the ${noun}'s current details`],
      constraints: constraintsOf(input),
    },
    facts: [makeIdFact(kit, id, `your ${noun} number`), ...identityFacts(input), ...uniqueFacts([...chosen.facts, ...skipped.facts])],
    records: [{ kit, record }],
    distractorKits: [kit],
    actions: chosen.actions,
    answerFacts: chosen.answerFacts,
    criteria: [
      ...requestCriteria(chosen),
      skipped.write && skipped.write.role.name !== chosen.write?.role.name ? notCalledCriterion(skipped.write.role.name, `the condition (${condition.when}) ${condition.holds ? "holds" : "does not hold"}, so the user wanted the other change.`) : undefined,
      summaryCriterion(chosen.outcome),
      llmCriterion("followed-condition", `The assistant checked whether ${condition.when.replace(/^its/, `the ${noun}'s`)} in the looked-up record and did what the user asked for that case.`, 2),
      confirmCriterion(input, chosen.write?.role.name ?? ""),
    ],
    difficulty: "hard",
  };
}

function writeAmbiguous(input: TaskInput): ShapedTask | undefined {
  const kit = pickKit(input, (candidate) => candidate.search !== undefined && plannableWrites(candidate, input).length > 0);
  if (!kit?.search) return undefined;
  const write = input.random.pick(plannableWrites(kit, input));
  const eligible = listWriteStarts(kit, write, input);
  const open = eligible.filter((candidate) => !TERMINAL_HINT.test(candidate));
  const taken = new Set<string>();
  const status = open.length > 0 ? input.random.pick(open) : eligible.length > 0 ? input.random.pick(eligible) : undefined;
  const target = makeOwnedRecord(kit, input, taken, withStatus(kit, status));
  const other = makeOwnedRecord(kit, input, taken, withStatus(kit, status));
  const statusField = findStatusField(kit.entity);
  // A date tells the two apart best: a number could be taken for an amount the change needs.
  const distinct = kit.entity.fields.filter((candidate) => candidate !== statusField && candidate.name !== kit.emailField && target[candidate.name] !== other[candidate.name] && target[candidate.name] !== undefined);
  const field = distinct.find((candidate) => candidate.schema.format === "date") ?? distinct.find((candidate) => readSchemaType(candidate.schema) === "number" && !write.anatomy.params.some((param) => param.required && readSchemaType(param.schema) === "number"));
  if (!field) return undefined;
  const request = planWrite(kit, write, input, taken, target);
  const search: BlueprintAction = { tool: kit.search.role.name, arguments: { [kit.search.emailParam]: input.persona.email } };
  const noun = nounOf(kit);
  const hint = formatValue(target[field.name]);
  return {
    shape: "ambiguous",
    goal: goalFor(input, `${request.summary} — the user has two ${pluralOf(kit)} and means the one with ${humanize(field.name)} ${hint}`),
    scenario: {
      organization: kit.domain.organization,
      requests: [request.clause],
      known: ["the email address on your account", `the ${humanize(field.name)} of the ${noun} you mean`, ...request.facts.map((fact) => fact.description)],
      unknown: [`your ${noun} numbers`],
      constraints: [`you have two ${pluralOf(kit)} and mean only one of them`, ...constraintsOf(input)],
      disambiguate: noun,
    },
    facts: [makeEmailFact(input), { key: field.name, value: target[field.name] ?? hint, description: `the ${humanize(field.name)} of the ${noun} you mean` }, ...request.facts],
    records: [
      { kit, record: target },
      { kit, record: other },
    ],
    distractorKits: [kit],
    actions: [search, ...request.actions],
    answerFacts: [String(target.id), ...request.answerFacts],
    criteria: [
      ...requestCriteria(request),
      calledCriterion(search.tool, search.arguments, false, "searched"),
      mentionsCriterion([String(target.id)]),
      summaryCriterion(request.outcome),
      llmCriterion("asked-which", `Two ${pluralOf(kit)} matched; the assistant asked the user which one they meant instead of picking one, and changed only that one.`, 2),
      confirmCriterion(input, write.name),
    ],
    difficulty: "hard",
  };
}

function writeInfeasible(input: TaskInput): ShapedTask | undefined {
  const variants = [infeasibleByStatus, infeasibleByLimit, infeasibleByIdentity];
  for (const variant of input.random.shuffle(variants)) {
    const task = variant(input);
    if (task) return task;
  }
  return undefined;
}

function refusalCriteria(tool: string, reason: string): Array<RubricCriterion | undefined> {
  return [
    notCalledCriterion(tool, reason),
    llmCriterion("refused-with-reason", `The assistant refused and explained why (${reason}), without changing anything or promising what it cannot do.`, 2),
    llmCriterion("held-the-line", "When the user asked whether there was any way around it, the assistant stayed polite and did not give in."),
  ];
}

function infeasibleByStatus(input: TaskInput): ShapedTask | undefined {
  const choices = input.kits.flatMap((kit) => kit.writes.filter((write) => canPlanWrite(kit, write, input) && listForbiddenStatuses(write, input.rules).length > 0).map((write) => ({ kit, write })));
  if (choices.length === 0) return undefined;
  const { kit, write } = input.random.pick(choices);
  const status = input.random.pick(listForbiddenStatuses(write, input.rules));
  const taken = new Set<string>();
  const record = makeOwnedRecord(kit, input, taken, withStatus(kit, status));
  const wanted = planWrite(kit, write, input, new Set(taken), record);
  const id = String(record.id);
  const rule = input.rules.eligibility.find((candidate) => candidate.tool === write.name);
  const noun = nounOf(kit);
  return {
    shape: "infeasible",
    goal: goalFor(input, `${wanted.summary}, which the rules forbid while it is ${status}: refuse, explain and change nothing`),
    scenario: { organization: kit.domain.organization, requests: [wanted.clause], known: knownDetails(input, [`your ${noun} number`, ...wanted.facts.map((fact) => fact.description)]), unknown: [`the ${noun}'s current status`], constraints: constraintsOf(input), pushBack: true },
    facts: [makeIdFact(kit, id, `your ${noun} number`), ...identityFacts(input), ...wanted.facts],
    records: [{ kit, record }],
    distractorKits: [kit],
    actions: [{ tool: kit.get.name, arguments: { [kit.get.idParam as string]: id } }],
    answerFacts: [humanize(status)],
    criteria: [calledCriterion(kit.get.name, { [kit.get.idParam as string]: id }, false, "looked-up"), ...refusalCriteria(write.name, rule ? rule.text : `a ${noun} that is ${status} cannot be changed this way`), mentionsCriterion([humanize(status)])],
    difficulty: "medium",
  };
}

function infeasibleByLimit(input: TaskInput): ShapedTask | undefined {
  const choices = input.kits.flatMap((kit) => kit.writes.flatMap((write) => input.rules.limits.filter((rule) => rule.tool === write.name && canPlanWrite(kit, write, input)).map((rule) => ({ kit, write, rule }))));
  if (choices.length === 0) return undefined;
  const { kit, write, rule } = input.random.pick(choices);
  const taken = new Set<string>();
  const wanted = planWrite(kit, write, input, taken);
  const param = write.anatomy.params.find((candidate) => candidate.name === rule.parameter);
  const integer = param && readSchemaType(param.schema) === "integer";
  const amount = integer ? Math.ceil(rule.max * (1.3 + input.random.next())) : Math.round(rule.max * (1.3 + input.random.next()) * 100) / 100;
  const facts = wanted.facts.map((fact) => (fact.key === rule.parameter ? { ...fact, value: amount } : fact));
  const noun = nounOf(kit);
  const id = String(wanted.record.id);
  return {
    shape: "infeasible",
    goal: goalFor(input, `${wanted.summary} for ${amount}, over the limit of ${rule.max} per request: refuse, explain and offer a hand-over`),
    scenario: { organization: kit.domain.organization, requests: [wanted.clause], known: knownDetails(input, [`your ${noun} number`, ...facts.map((fact) => fact.description)]), unknown: [], constraints: constraintsOf(input), pushBack: true },
    facts: [makeIdFact(kit, id, `your ${noun} number`), ...identityFacts(input), ...facts],
    records: [{ kit, record: wanted.record }],
    distractorKits: [kit],
    actions: [],
    answerFacts: [String(rule.max)],
    criteria: [...refusalCriteria(write.name, rule.text), mentionsCriterion([String(rule.max)])],
    difficulty: "medium",
  };
}

function infeasibleByIdentity(input: TaskInput): ShapedTask | undefined {
  if (!input.rules.identity) return undefined;
  const kit = pickKit(input, (candidate) => candidate.emailField !== undefined);
  if (!kit?.emailField) return undefined;
  const partner = input.random.pick(PERSON_NAMES.filter((name) => name !== input.persona.persona.name));
  const taken = new Set<string>();
  const record = makeOwnedRecord(kit, input, taken, { [kit.emailField]: makeEmail(partner) });
  const request = planRead(kit, input, taken, record);
  const noun = nounOf(kit);
  const id = String(record.id);
  return {
    shape: "infeasible",
    goal: goalFor(input, `${request.summary} — the record belongs to another email address (${partner}'s): share nothing`),
    scenario: {
      organization: kit.domain.organization,
      requests: [request.clause.replace(`your ${noun}`, `your partner's ${noun}`)],
      known: [`the ${noun} number`, "the email address on your own account (the booking was made under your partner's)"],
      unknown: [`your partner's email address`],
      constraints: constraintsOf(input),
      pushBack: true,
    },
    facts: [makeIdFact(kit, id, `the ${noun} number`), makeEmailFact(input)],
    records: [{ kit, record }],
    distractorKits: [kit],
    actions: [{ tool: kit.get.name, arguments: { [kit.get.idParam as string]: id } }],
    answerFacts: [],
    criteria: [
      llmCriterion("refused-with-reason", `The email the user gave does not match the ${noun}'s, so the assistant shared none of its details and explained the identity check.`, 2),
      llmCriterion("held-the-line", "When the user asked whether there was any way around it, the assistant stayed polite and did not give in."),
      ...kit.writes.slice(0, 1).map((write) => notCalledCriterion(write.name, "nothing may be changed for a record the user does not own.")),
    ],
    difficulty: "medium",
  };
}

const PARTICLES = new Set(["in", "out", "up", "off", "over", "back", "down"]);

/** Questions the agent's rules answer, each with the facts a correct answer states. */
function listPolicyQuestions(input: TaskInput): Array<{ clause: string; answers: string[]; tool?: string }> {
  const questions: Array<{ clause: string; answers: string[]; tool?: string }> = [];
  for (const rule of input.rules.limits) {
    const role = input.roles.find((candidate) => candidate.name === rule.tool);
    const verb = role ? humanize(role.anatomy.actionWords.join("_") || role.anatomy.verb) : humanize(rule.tool);
    questions.push({ clause: `know the most the assistant can ${verb} in one request`, answers: [String(rule.max)], tool: rule.tool });
  }
  for (const rule of input.rules.eligibility) {
    const role = input.roles.find((candidate) => candidate.name === rule.tool);
    if (!role?.entity) continue;
    const forbidden = listForbiddenStatuses(role, input.rules)[0];
    if (!forbidden) continue;
    // The action asked about ("rescheduled", "checked in"), not the status it leads to ("changed").
    const particle = role.anatomy.actionWords[1];
    const verb = `${pastTense(role.anatomy.verb)}${particle && PARTICLES.has(particle) ? ` ${particle}` : ""}`;
    questions.push({ clause: `know whether ${addArticle(humanize(role.entity.name))} that is ${humanize(forbidden)} can still be ${verb}`, answers: [rule.allowed[0] ?? ""], tool: rule.tool });
  }
  if (input.rules.identity) questions.push({ clause: "know what to have ready before the assistant can change anything for you", answers: ["email"] });
  if (input.rules.handover) questions.push({ clause: `know whether the assistant can arrange ${input.rules.handover.topics[1] ?? input.rules.handover.topics[0] ?? "compensation"} for you`, answers: ["human colleague"] });
  return questions;
}

function writeNoTool(input: TaskInput): ShapedTask | undefined {
  const questions = input.random.shuffle(listPolicyQuestions(input)).slice(0, 2);
  if (questions.length === 0) return undefined;
  const tools = questions.flatMap((question) => (question.tool ? [question.tool] : []));
  const organization = input.domain.organization;
  return {
    shape: "no_tool",
    goal: goalFor(input, `ask about policy (${joinList(questions.map((question) => question.clause.replace(/^know /, "")))}); answered from the rules, no tool needed`),
    scenario: { organization, requests: questions.map((question) => question.clause), known: ["nothing that needs looking up: this is a general question"], unknown: ["the assistant's policies"], constraints: ["you do not want anything looked up or changed", ...constraintsOf(input)] },
    facts: [],
    records: [],
    distractorKits: input.kits.slice(0, 1),
    actions: [],
    // The final answer answers the last question; the one before was answered in its own turn.
    answerFacts: (questions[questions.length - 1]?.answers ?? []).filter((answer) => answer.length > 0),
    criteria: [
      ...[...new Set(tools)].map((tool) => notCalledCriterion(tool, "the question is about policy; nothing needs to be looked up or changed.")),
      mentionsCriterion(questions[questions.length - 1]?.answers ?? []),
      llmCriterion("answered-from-policy", "The assistant answered the question from its rules without calling a tool, and did not invent a policy it was not given.", 2),
    ],
    difficulty: "easy",
  };
}

function writeChangeOfMind(input: TaskInput): ShapedTask | undefined {
  const kit = pickKit(input, (candidate) => plannableWrites(candidate, input).length >= 1);
  if (!kit) return undefined;
  const writes = plannableWrites(kit, input);
  const [first, second] = input.random.sample(writes, 2) as [ToolRole, ToolRole | undefined];
  const common = second ? listWriteStarts(kit, first, input).filter((status) => listWriteStarts(kit, second, input).includes(status)) : [];
  const switchTo = second && (!findStatusField(kit.entity) || common.length > 0) ? second : undefined;
  const taken = new Set<string>();
  const statuses = switchTo ? common : listWriteStarts(kit, first, input);
  const record = makeOwnedRecord(kit, input, taken, withStatus(kit, statuses.length > 0 ? input.random.pick(statuses) : undefined));
  const initial = planWrite(kit, first, input, new Set(taken), record);
  const final = switchTo ? planWrite(kit, switchTo, input, new Set(taken), record) : planRead(kit, input, new Set(taken), record);
  const noun = nounOf(kit);
  const id = String(record.id);
  const finalClause = switchTo ? final.clause : `leave your ${noun} as it is and only ${final.clause}`;
  return {
    shape: "change_of_mind",
    goal: goalFor(input, `${initial.summary} — then the user changes their mind: ${switchTo ? final.summary : `leave it and only ${final.summary}`}`),
    scenario: {
      organization: kit.domain.organization,
      requests: [initial.clause],
      known: knownDetails(input, [`your ${noun} number`, ...initial.facts.map((fact) => fact.description), ...final.facts.map((fact) => fact.description)]),
      unknown: [`the ${noun}'s current details`],
      constraints: constraintsOf(input),
      changeOfMind: { when: input.confirm ? "confirm" : "details", request: finalClause },
    },
    facts: [makeIdFact(kit, id, `your ${noun} number`), ...identityFacts(input), ...uniqueFacts([...initial.facts, ...final.facts])],
    records: [{ kit, record }],
    distractorKits: [kit],
    actions: final.actions,
    answerFacts: final.answerFacts,
    criteria: [
      ...requestCriteria(final),
      initial.write && initial.write.role.name !== final.write?.role.name ? notCalledCriterion(initial.write.role.name, "the user changed their mind before it was done.") : undefined,
      summaryCriterion(final.outcome),
      llmCriterion("followed-change", "When the user changed their mind, the assistant dropped the first request and did what the user asked for instead.", 2),
    ],
    difficulty: "medium",
  };
}

function writeParallel(input: TaskInput): ShapedTask | undefined {
  const taken = new Set<string>();
  const requests: PlannedRequest[] = [];
  const spanKits = input.kits.length >= 2 && input.random.chance(0.25);
  if (spanKits) {
    for (const kit of input.random.sample(input.kits, 2)) requests.push(planRead(kit, input, taken, makeOwnedRecord(kit, input, taken)));
  } else {
    const kit = pickKit(input, () => true);
    if (!kit) return undefined;
    const count = input.random.int(3, 4);
    for (let index = 0; index < count; index++) requests.push(planRead(kit, input, taken, makeOwnedRecord(kit, input, taken)));
  }
  const [first] = requests as [PlannedRequest];
  const sameKit = requests.every((request) => request.kit === first.kit);
  const ordinals = ["first", "second", "third", "fourth"];
  const statusWord = findStatusField(first.kit.entity) ? "current status" : "details";
  const clause = sameKit ? `know the ${statusWord} of your ${requests.length} ${pluralOf(first.kit)}` : `know the ${statusWord} of your ${joinList(requests.map((request) => nounOf(request.kit)))}`;
  const answers = requests.map((request) => formatValue(readStatus(request.kit, request.record) ?? request.record.id));
  return {
    shape: "parallel",
    goal: goalFor(input, `look up ${joinList(requests.map((request) => `${nounOf(request.kit)} ${String(request.record.id)}`))} and report each ${statusWord}`),
    scenario: {
      organization: first.kit.domain.organization,
      requests: [clause],
      known: knownDetails(input, requests.map((request, index) => (sameKit ? `the number of your ${ordinals[index]} ${nounOf(request.kit)}` : `your ${nounOf(request.kit)} number`))),
      unknown: ["where each one stands"],
      constraints: ["you would like all of them checked at once", ...constraintsOf(input)],
    },
    facts: [...requests.map((request, index) => makeIdFact(request.kit, String(request.record.id), sameKit ? `the number of your ${ordinals[index]} ${nounOf(request.kit)}` : `your ${nounOf(request.kit)} number`)), ...identityFacts(input)],
    records: requests.map((request) => ({ kit: request.kit, record: request.record })),
    distractorKits: [...new Set(requests.map((request) => request.kit))],
    actions: requests.flatMap((request) => request.actions),
    answerFacts: answers,
    criteria: [...requests.map((request) => calledCriterion(request.kit.get.name, request.actions[0]?.arguments ?? {}, true)), mentionsCriterion(requests.map((request) => String(request.record.id))), summaryCriterion(`it reports the ${statusWord} of each of the ${requests.length} records.`), llmCriterion("looked-up-together", "The assistant looked the records up together (in parallel) rather than one per turn, once it had all the numbers.")],
    difficulty: "medium",
  };
}

/** Facts by key, the first of a key kept (two requests may need the same value). */
function uniqueFacts(facts: readonly HiddenFact[]): HiddenFact[] {
  return facts.filter((fact, index) => facts.findIndex((other) => other.key === fact.key) === index);
}

export function withBaseCriteria(criteria: Array<RubricCriterion | undefined>): Array<RubricCriterion | undefined> {
  return [...criteria, ...baseCriteria()];
}
