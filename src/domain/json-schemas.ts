import { z } from "zod";
import { RECORD_SCHEMAS } from "./records.js";

/** The JSON Schema text of every record, by file stem (`schemas/<stem>.schema.json`). */
export function renderRecordSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(RECORD_SCHEMAS).map(([name, schema]) => {
      const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
      return [name, `${JSON.stringify({ ...json, $id: `https://agentsynth.dev/schemas/${name}.schema.json`, title: name }, null, 2)}\n`];
    }),
  );
}
