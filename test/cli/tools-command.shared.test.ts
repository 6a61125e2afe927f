import { TAU_BENCH_FUNCTIONS, TOUCAN_CATALOG } from "../helpers/test-data.js";
import { describeToolImports } from "./tool-imports.js";

// The Toucan crawl (5,700 tools imported, 344 skipped, 27 categories) and tau-bench's 28 function specs.
describeToolImports({ catalog: TOUCAN_CATALOG, functions: TAU_BENCH_FUNCTIONS });
