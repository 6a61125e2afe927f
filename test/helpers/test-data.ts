import { join } from "node:path";
import { REPO_ROOT } from "./run-cli.js";

/** A catalog of MCP servers in the shape of the Toucan crawl, and what importing it gives. */
export interface ServerCatalog {
  file: string;
  /** Tools imported, and tools skipped: those whose input schema does not compile, and repeats of an earlier tool. */
  imported: number;
  skipped: number;
  uncompilable: number;
  repeated: number;
  /** Catalog categories, each imported as one domain. */
  categories: number;
}

/** A list of OpenAI function specs (`[{name, description, parameters}]`) like tau-bench's. */
export interface FunctionSpecs {
  file: string;
  count: number;
}

const FIXTURES = join(REPO_ROOT, "test", "fixtures");

/**
 * Our own test data (`npm test`): 11 servers in 6 categories with the crawl's oddities (server and tool names
 * with spaces, punctuation and non-ASCII characters, a tool repeated within a server, a server listed twice,
 * two tools of one name, four input schemas that do not compile, empty descriptions).
 */
export const FIXTURE_CATALOG: ServerCatalog = { file: join(FIXTURES, "tool-specs", "mcp-servers.catalog.json"), imported: 32, skipped: 7, uncompilable: 4, repeated: 3, categories: 6 };
/** An airline and a shop desk's function specs; `get_user_details` and `think` appear once per desk. */
export const FIXTURE_FUNCTIONS: FunctionSpecs = { file: join(FIXTURES, "tool-specs", "functions.openai.json"), count: 11 };
/** Our own tool-calling chat templates (`tagged-calls.jinja`, `numbered-calls.jinja`). */
export const FIXTURE_TEMPLATES = join(FIXTURES, "templates");

/** Third-party data beside the repository, for the shared suite only (`npm run test:shared`). */
export const SHARED_DATA = join(REPO_ROOT, "..", "shared", "data");
/** The Toucan crawl: 870 real MCP servers, 6,044 tools, 27 categories. */
export const TOUCAN_CATALOG: ServerCatalog = { file: join(SHARED_DATA, "mcp-servers.toucan.json"), imported: 5700, skipped: 344, uncompilable: 10, repeated: 334, categories: 27 };
/** tau-bench's airline and retail tool specs. */
export const TAU_BENCH_FUNCTIONS: FunctionSpecs = { file: join(SHARED_DATA, "tools.tau-bench.json"), count: 28 };
/** The official Kimi-K2-Thinking and Qwen2.5-7B-Instruct chat templates. */
export const SHARED_TEMPLATES = join(SHARED_DATA, "templates");
export const SHARED_TEMPLATE_FILES = ["kimi-k2-thinking.jinja", "qwen2.5-7b-instruct.jinja"];
