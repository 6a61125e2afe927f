export * from "./hash.js";
export * from "./random.js";
export * from "./clock.js";
export * from "./ids.js";
export * from "./json-schema.js";
export * from "./concurrency.js";
export * from "./is-object.js";
export * from "./forward-abort.js";
