import { describe, it } from "vitest";
import { FIXTURE_FUNCTIONS, FIXTURE_TEMPLATES } from "../helpers/test-data.js";
import { checkMixedToolsRun } from "./mixed-tools-run.js";

describe("a run over imported real tools mixed with synthetic ones", () => {
  it("exports records that pass the independent check and render through our chat templates", () => checkMixedToolsRun(FIXTURE_FUNCTIONS, FIXTURE_TEMPLATES));
});
