import type { JsonValue } from "../domain/common.js";
import { seedFrom } from "../support/hash.js";
import { createRandom } from "../support/random.js";

/**
 * The id of a record a call creates: the entity's prefix and five digits drawn from the call (its arguments and
 * the ids the collection holds), never one in `taken`. The same call on the same state gives the same id, so a
 * blueprint's created records and an episode's line up; a second identical call sees the first record and gets
 * another id.
 */
export function createRecordId(prefix: string, taken: ReadonlySet<string>, call: { entity: string; arguments: JsonValue }): string {
  const random = createRandom(seedFrom("record-id", call.entity, call.arguments, [...taken].sort()));
  for (;;) {
    const id = `${prefix}-${random.int(10000, 99999)}`;
    if (!taken.has(id)) return id;
  }
}
