import type { DomainSpec, Entity } from "../domain/domain.js";

/** The tools a domain is built for: those of one MCP server, or of one catalog category. */
export interface DomainSource {
  /** The server's config name or the category name; becomes the snake_case domain name. */
  name: string;
  /** The taxonomy category (default "MCP servers"). */
  category?: string;
  title?: string;
  description?: string;
  organization?: string;
  /** Where the tools come from, for the default description, e.g. `the MCP server "memory" (memory-server 0.6.3)`. */
  origin?: string;
  tools: ReadonlyArray<{ name: string; description?: string | undefined }>;
}

const MAX_ENTITIES = 6;
const VERBS = new Set(
  "add append apply archive browse calculate call cancel check clear close compare compute convert copy count create delete describe download echo edit execute export fetch filter find generate get gzip import insert inspect list load lookup make merge modify move open patch post put query read refresh remove rename replace reset resolve retrieve run save scan search send set show simulate start stop submit subscribe summarize sync toggle trigger update upload upsert validate view watch write".split(" "),
);
const CRUD = new Set(["add", "create", "delete", "get", "list", "read", "remove", "update", "fetch", "retrieve", "set", "insert", "upsert", "show", "view"]);
/** Words that end a noun phrase: `list_directory_with_sizes` is about directories. */
const PREPOSITIONS = new Set(["with", "as", "by", "for", "from", "to", "in", "into", "of", "on", "at", "via", "and", "or"]);
/** Words that describe the noun before them: `get_file_info` is about files. */
const ASPECTS = new Set(["info", "information", "details", "detail", "metadata", "meta", "tree", "list", "content", "contents", "status", "data", "stats", "size", "sizes", "count", "summary", "history", "url", "id", "ids"]);
const MODIFIERS = new Set(["all", "multiple", "many", "new", "allowed", "text", "media", "tiny", "annotated", "simulated", "structured", "long", "running", "current", "recent", "my", "the", "a", "an", "single", "batch", "bulk", "raw"]);

/**
 * A DomainSpec for a set of real tools, so they feed agent and task generation like synthetic ones: its
 * entities are the nouns of the tool names (`read_text_file` → file, `create_entities` → entity), the most
 * used first, at most six, each with a `name` field.
 */
export function domainForServer(source: DomainSource): DomainSpec {
  const name = domainNameOf(source.name);
  const title = source.title ?? toTitle(name);
  const entities = entitiesOf(source.tools);
  return {
    category: source.category ?? "MCP servers",
    name,
    title,
    description: source.description ?? describeTools(source.origin ?? title, source.tools, entities),
    organization: source.organization ?? `${title} Workspace`,
    entities: entities.length > 0 ? entities : [buildEntity(fallbackNoun(name), [], new Set())],
  };
}

interface NounUse {
  noun: string;
  count: number;
  order: number;
  verbs: Set<string>;
}

function entitiesOf(tools: DomainSource["tools"]): Entity[] {
  const uses = new Map<string, NounUse>();
  tools.forEach((tool, order) => {
    const parsed = parseToolName(tool.name);
    if (!parsed) return;
    const use = uses.get(parsed.noun) ?? { noun: parsed.noun, count: 0, order, verbs: new Set<string>() };
    use.count += 1;
    if (parsed.verb) use.verbs.add(parsed.verb);
    uses.set(parsed.noun, use);
  });
  const ranked = [...uses.values()].sort((a, b) => b.count - a.count || a.order - b.order).slice(0, MAX_ENTITIES);
  const prefixes = new Set<string>();
  return ranked.map((use) => buildEntity(use.noun, [...use.verbs], prefixes));
}

/** The verb and head noun of a tool name (snake_case, kebab-case or camelCase). */
export function parseToolName(toolName: string): { verb?: string; noun: string } | undefined {
  const words = toolName
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
  const verb = words[0] !== undefined && VERBS.has(words[0]) ? words[0] : undefined;
  const rest = verb ? words.slice(1) : words;
  const cut = rest.findIndex((word) => PREPOSITIONS.has(word));
  const phrase = (cut >= 0 ? rest.slice(0, cut) : rest).filter((word) => !MODIFIERS.has(word) && /^[a-z]/.test(word));
  while (phrase.length > 1 && ASPECTS.has(phrase[phrase.length - 1] as string)) phrase.pop();
  const head = phrase[phrase.length - 1];
  if (head === undefined) return undefined;
  return { ...(verb ? { verb } : {}), noun: singularize(head) };
}

function buildEntity(noun: string, verbs: string[], prefixes: Set<string>): Entity {
  return {
    name: noun,
    plural: pluralize(noun),
    idPrefix: uniquePrefix(noun, prefixes),
    description: `A ${noun.replace(/_/g, " ")} the tools work with`,
    fields: [{ name: "name", description: `The ${noun.replace(/_/g, " ")}'s name`, schema: { type: "string" }, examples: [] }],
    actions: verbs.filter((verb) => !CRUD.has(verb)).sort(),
  };
}

export function singularize(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes|zzes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Two to five capital letters, distinct within the domain: FIL, DIR, ENT, REL. */
function uniquePrefix(noun: string, taken: Set<string>): string {
  const letters = noun.replace(/[^a-z]/g, "").toUpperCase().padEnd(2, "X");
  const consonants = letters[0] + letters.slice(1).replace(/[AEIOU]/g, "");
  const shapes = [letters.slice(0, 3), consonants.slice(0, 3), letters.slice(0, 4), consonants.slice(0, 4), letters.slice(0, 5)];
  const lettered = Array.from({ length: 26 }, (_, index) => `${letters.slice(0, 3)}${String.fromCharCode(65 + index)}`);
  const prefix = [...shapes, ...lettered].find((each) => each.length >= 2 && !taken.has(each)) ?? letters.slice(0, 2);
  taken.add(prefix);
  return prefix;
}

function domainNameOf(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (snake === "") return "mcp_server";
  return /^[a-z]/.test(snake) ? snake : `mcp_${snake}`;
}

function toTitle(name: string): string {
  return name
    .split("_")
    .filter((word) => word !== "")
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join(" ");
}

function fallbackNoun(domainName: string): string {
  const last = domainName.split("_").filter((word) => /^[a-z]/.test(word)).pop();
  return last ? singularize(last) : "item";
}

function describeTools(origin: string, tools: DomainSource["tools"], entities: Entity[]): string {
  const plurals = entities.map((entity) => entity.plural.replace(/_/g, " "));
  const listed = plurals.length > 1 ? `${plurals.slice(0, -1).join(", ")} and ${plurals[plurals.length - 1]}` : (plurals[0] ?? "");
  const about = listed === "" ? "" : ` about ${listed}`;
  return `Real tools of ${origin}: ${tools.length} tool${tools.length === 1 ? "" : "s"}${about}.`;
}
