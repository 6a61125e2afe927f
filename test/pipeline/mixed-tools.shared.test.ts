import { describe, it } from "vitest";
import { SHARED_TEMPLATES, TAU_BENCH_FUNCTIONS } from "../helpers/test-data.js";
import { checkMixedToolsRun } from "./mixed-tools-run.js";

describe("a run over tau-bench's tools mixed with synthetic ones (shared data)", () => {
  it("exports records that pass the independent check and render through the official chat templates", () => checkMixedToolsRun(TAU_BENCH_FUNCTIONS, SHARED_TEMPLATES));
});
