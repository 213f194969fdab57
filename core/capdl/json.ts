/**
 * The `--capdl-json` format: serde_json's `to_string_pretty` of upstream's
 * `Spec<Fill<FillContent>>`, reproduced byte for byte, and its inverse.
 *
 * serde conventions that define the shape: enums are externally tagged (unit
 * variants as a bare string, others as a one-key object); struct fields keep
 * the Rust declaration order and snake_case names; newtypes (`ObjectId`,
 * `CapSlot`, `Word`, `NonZero`) and `Box` are transparent; `Option` is the
 * value or `null`; `Range` is `{"start", "end"}`; `Vec<u8>` is an array of
 * numbers. Upstream writes the text without a trailing newline.
 */

export { specToJson, writeSpecJson } from './json/write.js';
export { specFromJson } from './json/read.js';
