import { describe, expect, it } from "vitest";
import { DomainSpecSchema } from "../../../../src/domain/domain.js";
import { TOOL_NAME_PATTERN } from "../../../../src/domain/tool.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { AgentGenerationOutputSchema, DomainEvolutionOutputSchema, TaskGenerationOutputSchema, ToolSynthesisOutputSchema } from "../../../../src/model/request-context.js";
import { compileJsonSchema, validateJsonSchema } from "../../../../src/support/json-schema.js";
import { TaskShapeSchema } from "../../../../src/domain/task.js";
import { composeSystemPrompt } from "../../../../src/generate/generate-agents.js";
import { readBusinessRules } from "../../../../src/model/providers/offline/business-rules.js";
import { ask, buildScenario, findDomain, runActions, taxonomyDomains } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 21 });

describe("domain-evolution", () => {
  it("returns as many new sub-domains as asked for, each with a parent among the seeds", async () => {
    const seeds = taxonomyDomains().slice(0, 5);
    const { domains } = await ask(model, "domain-evolution", DomainEvolutionOutputSchema, { purpose: "domain-evolution", seedDomains: seeds, count: 7 });
    expect(domains).toHaveLength(7);
    expect(new Set([...seeds, ...domains].map((domain) => domain.name)).size).toBe(12);
    for (const domain of domains) {
      const parent = seeds.find((seed) => seed.name === domain.parent);
      expect(parent, domain.name).toBeDefined();
      expect(domain.name.startsWith(`${parent?.name}_`)).toBe(true);
      expect(domain.category).toBe(parent?.category);
      expect(domain.organization).not.toBe(parent?.organization);
      expect(DomainSpecSchema.safeParse(domain).success).toBe(true);
      for (const entity of domain.entities) expect(entity.fields.length).toBeLessThanOrEqual(8);
    }
  });

  it("never echoes a seed domain", async () => {
    const seeds = taxonomyDomains().slice(0, 4);
    const { domains } = await ask(model, "domain-evolution", DomainEvolutionOutputSchema, { purpose: "domain-evolution", seedDomains: seeds, count: 2 });
    expect(domains).toHaveLength(2);
    expect(domains.some((domain) => seeds.some((seed) => seed.name === domain.name))).toBe(false);
  });
});

describe("tool-synthesis", () => {
  it.each(taxonomyDomains().map((domain) => domain.name))("builds valid, portable, described tools for %s", async (name) => {
    const domain = findDomain(name);
    const { tools } = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: 8, existingToolNames: [] });
    expect(tools).toHaveLength(8);
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    const firstWrite = tools.findIndex((tool) => tool.annotations.readOnlyHint === false);
    expect(tools.slice(0, firstWrite).every((tool) => tool.annotations.readOnlyHint === true)).toBe(true);
    expect(tools.slice(firstWrite).every((tool) => tool.annotations.readOnlyHint === false)).toBe(true);
    for (const tool of tools) {
      expect(tool.name).toMatch(TOOL_NAME_PATTERN);
      expect(tool.description).toContain(domain.organization);
      expect(() => compileJsonSchema(tool.inputSchema)).not.toThrow();
      expect(() => compileJsonSchema(tool.outputSchema)).not.toThrow();
      expect(tool.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
      const properties = tool.inputSchema.properties as Record<string, { description?: string }>;
      for (const property of Object.values(properties)) expect(property.description, tool.name).toBeTruthy();
      for (const required of tool.inputSchema.required as string[]) expect(properties).toHaveProperty(required);
      expect(tool.annotations.title).toBeTruthy();
    }
  });

  it("starts with look-ups, includes writes, marks destructive ones and gives ids a pattern", async () => {
    const { tools } = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: findDomain("online_orders"), count: 10, existingToolNames: [] });
    expect(tools.slice(0, 2).map((tool) => tool.name)).toEqual(["get_order", "search_orders"]);
    expect(tools.map((tool) => tool.name)).toContain("update_order_status");
    const getOrder = tools[0];
    expect(getOrder?.inputSchema).toMatchObject({ properties: { order_id: { pattern: "^ORD-\\d{4,6}$" } }, required: ["order_id"] });
    expect(validateJsonSchema(getOrder?.inputSchema ?? {}, { order_id: "ORD-10442" }).valid).toBe(true);
    expect(validateJsonSchema(getOrder?.inputSchema ?? {}, { order_id: "10442" }).valid).toBe(false);
    const removal = tools.find((tool) => tool.name === "cancel_order");
    expect(removal?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(tools.find((tool) => tool.name === "create_order")?.annotations).toMatchObject({ idempotentHint: false, destructiveHint: false });
  });

  it("avoids names that already exist and returns every tool there is when more are asked", async () => {
    const domain = findDomain("online_orders");
    const { tools } = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: 40, existingToolNames: ["get_order", "search_orders"] });
    const names = tools.map((tool) => tool.name);
    expect(names).not.toContain("get_order");
    expect(names).toContain("get_order_online_orders");
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(["cancel_order", "create_customer", "upgrade_customer", "count_orders"]));
    // Orders have no refunded or expedited status and no field those verbs set: such tools would change nothing.
    expect(names).not.toContain("refund_order");
    expect(tools.every((tool) => tool.effect !== undefined)).toBe(true);
  });
});

describe("agent-generation", () => {
  it("names the agent, writes its prompt and 5–10 business rules grounded in its tools, and a behaviour the rules agree with", async () => {
    for (const name of ["car_rental", "access_requests", "library_loans", "energy_accounts", "clinic_appointments"]) {
      const domain = findDomain(name);
      const { tools } = await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain, count: 7, existingToolNames: [] });
      const agent = await ask(model, "agent-generation", AgentGenerationOutputSchema, { purpose: "agent-generation", domain, tools });
      expect(agent.name).toMatch(new RegExp(`^${domain.organization.split(" ")[0]} `));
      expect(agent.systemPrompt).toContain(domain.organization);
      for (const tool of tools) expect(agent.systemPrompt).toContain(`(${tool.name})`);
      expect(agent.systemPrompt).toMatch(/never invent|do not guess/i);
      expect(agent.systemPrompt).toMatch(/summary/i);
      expect(agent.rules.length).toBeGreaterThanOrEqual(5);
      expect(agent.rules.length).toBeLessThanOrEqual(10);
      const rules = agent.rules.join("\n");
      expect(/confirm every change/i.test(rules)).toBe(agent.behavior.confirmBeforeWrite);
      expect(rules).toMatch(/human colleague/);
      // Eligibility rules name the tool they govern and allow only what its declared precondition allows.
      const book = readBusinessRules(composeSystemPrompt(agent.systemPrompt, agent.rules));
      for (const rule of book.eligibility) {
        const tool = tools.find((candidate) => candidate.name === rule.tool);
        expect(tool, rule.text).toBeDefined();
        const declared = tool?.effect?.preconditions[0]?.oneOf.map((value) => String(value).replace(/_/g, " "));
        for (const value of rule.allowed) if (declared) expect(declared, rule.text).toContain(value);
      }
    }
  });

  it("spans related domains when given them: the prompt names each organisation", async () => {
    const [main, related] = [findDomain("flight_booking"), findDomain("hotel_reservations")];
    const tools = [
      ...(await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: main, count: 6, existingToolNames: [] })).tools,
      ...(await ask(model, "tool-synthesis", ToolSynthesisOutputSchema, { purpose: "tool-synthesis", domain: related, count: 6, existingToolNames: [] })).tools,
    ];
    const agent = await ask(model, "agent-generation", AgentGenerationOutputSchema, { purpose: "agent-generation", domain: main, relatedDomains: [related], tools });
    expect(agent.systemPrompt).toContain(main.organization);
    expect(agent.systemPrompt).toContain(related.organization);
    expect(agent.name).toContain("Travel");
  });
});

describe("task-generation", () => {
  const shapes = TaskShapeSchema.options;

  it.each(["online_orders", "clinic_appointments", "retail_banking", "shipment_tracking", "course_enrollment", "broadband_support", "insurance_claims"])(
    "writes a task of every shape it is asked for over %s, each with a scenario and a blueprint that runs",
    async (name) => {
      const scenario = await buildScenario(model, findDomain(name), { toolCount: 8, taskCount: shapes.length, shapes: [...shapes] });
      const toolsByName = new Map(scenario.tools.map((tool) => [tool.name, tool]));
      expect(scenario.tasks).toHaveLength(shapes.length);
      expect(new Set(scenario.tasks.map((task) => task.goal)).size).toBe(shapes.length);
      expect(new Set(scenario.tasks.map((task) => task.shape)).size).toBeGreaterThanOrEqual(7);
      for (const task of scenario.tasks) {
        const label = `${name} ${task.shape}: ${task.goal}`;
        expect(task.scenario, label).toMatch(/^Why you are contacting .+: You want to /);
        expect(task.scenario, label).toMatch(/\nWhat you know: /);
        for (const fact of task.hiddenFacts) expect(task.scenario, label).not.toContain(String(fact.value));
        const blueprint = task.blueprint;
        expect(blueprint, label).toBeDefined();
        for (const action of blueprint?.actions ?? []) expect(toolsByName.has(action.tool), action.tool).toBe(true);
        const run = runActions(scenario, blueprint?.actions ?? [], task.initialState);
        expect(run.failure, label).toBeUndefined();
        if (task.shape === "infeasible" || task.shape === "no_tool") expect(run.writes, label).toBe(0);
        if (task.shape === "no_tool") expect(blueprint?.actions, label).toEqual([]);
        if (run.writes > 0) expect(run.state, label).not.toEqual(task.initialState);
        if (task.shape === "lookup" || task.shape === "parallel") expect(blueprint?.answerFacts.length, label).toBeGreaterThan(0);
        const rules = task.rubric.criteria.filter((criterion) => criterion.kind === "rule");
        expect(rules.length).toBeGreaterThan(0);
        expect(task.rubric.criteria.some((criterion) => criterion.kind === "llm")).toBe(true);
        expect(new Set(task.rubric.criteria.map((criterion) => criterion.id)).size).toBe(task.rubric.criteria.length);
        for (const rule of rules) if (rule.check.type === "tool_called" || rule.check.type === "tool_not_called") expect(toolsByName.has(rule.check.tool)).toBe(true);
        const entities = (task.initialState.entities ?? {}) as Record<string, Record<string, { id: string }>>;
        const ids = Object.values(entities).flatMap((records) => Object.keys(records));
        for (const fact of task.hiddenFacts.filter((entry) => /_id$/.test(entry.key))) expect(ids, label).toContain(fact.value);
        expect(task.persona.language).toBe("en");
      }
    },
  );

  it("gives ambiguous tasks two matching records, and refusals a ground in the agent's rules", async () => {
    const scenario = await buildScenario(model, findDomain("flight_booking"), { toolCount: 8, taskCount: 4, shapes: ["ambiguous", "infeasible", "ambiguous", "infeasible"] });
    for (const task of scenario.tasks.filter((candidate) => candidate.shape === "ambiguous")) {
      const email = task.hiddenFacts.find((fact) => fact.key === "email")?.value;
      const owned = Object.values((task.initialState.entities as Record<string, Record<string, Record<string, unknown>>>).booking ?? {}).filter((record) => record.passenger_email === email);
      expect(owned).toHaveLength(2);
      expect(task.scenario).toMatch(/If the assistant finds more than one booking, tell it which one you mean/);
    }
    for (const task of scenario.tasks.filter((candidate) => candidate.shape === "infeasible")) {
      expect(task.scenario).toMatch(/ask once whether there is any way around it/);
      expect(task.rubric.criteria.some((criterion) => criterion.kind === "rule" && criterion.check.type === "tool_not_called") || task.rubric.criteria.some((criterion) => criterion.id === "refused-with-reason")).toBe(true);
    }
  });

  it("avoids goals that already exist", async () => {
    const scenario = await buildScenario(model, findDomain("online_orders"), { toolCount: 6, taskCount: 4 });
    const existingGoals = scenario.tasks.map((task) => task.goal);
    const again = await ask(model, "task-generation", TaskGenerationOutputSchema, {
      purpose: "task-generation",
      domain: scenario.domain,
      agent: scenario.agent,
      tools: scenario.tools,
      count: 4,
      existingGoals,
    });
    for (const task of again.tasks) expect(existingGoals).not.toContain(task.goal);
  });
});
