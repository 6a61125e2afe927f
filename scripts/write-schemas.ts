import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderRecordSchemas } from "../src/domain/json-schemas.js";
import { packageRoot } from "../src/pipeline/package-paths.js";

/** `npm run schemas`: write schemas/<record>.schema.json from the zod records. */
const directory = join(packageRoot(), "schemas");
await mkdir(directory, { recursive: true });
for (const [name, text] of Object.entries(renderRecordSchemas())) {
  await writeFile(join(directory, `${name}.schema.json`), text);
  process.stdout.write(`wrote schemas/${name}.schema.json\n`);
}
