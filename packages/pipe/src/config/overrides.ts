/**
 * Config overrides applied in order: data files (JSON or YAML: plain data, never code) and
 * `-c path.to.field=value` assignments.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { ConfigError } from "./errors.js";
import type { ConfigSchema, ConfigValue, FieldMap } from "./schema.js";

/** One override: a JSON/YAML file of values, inline data, or a `path=value` text. */
export type ConfigOverride = { file: string } | { data: unknown; source?: string } | { set: string };

/**
 * Reads a JSON or YAML override file as plain data (YAML core schema, no custom tags, no aliases),
 * so a config file can never run code. Throws {@link ConfigError} naming the file on bad syntax.
 */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError([{ path: "", value: path, message: `cannot read config file: ${(e as Error).message}` }], path);
  }
  try {
    if (path.endsWith(".json")) return JSON.parse(text) as unknown;
    return parseDataYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError(
      [
        {
          path: "",
          value: path,
          message: `not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(e as Error).message.split("\n")[0]}`,
        },
      ],
      path,
    );
  }
}

/**
 * Parses YAML as plain data: core schema, no custom tags; any tag it does not know (e.g.
 * `!!js/function`) or any alias is an error rather than a warning.
 */
export function parseDataYaml(text: string): unknown {
  const doc = parseDocument(text, { schema: "core", customTags: [], uniqueKeys: true, prettyErrors: false });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new Error(problems[0]!.message);
  return doc.toJS({ maxAliasCount: 0 }) as unknown;
}

/** Applies overrides in order to `config` (not validated; call schema.freeze or validate after). */
export function applyOverrides<F extends FieldMap>(
  schema: ConfigSchema<F>,
  config: ConfigValue<F>,
  overrides: readonly ConfigOverride[],
): ConfigValue<F> {
  let c = config;
  for (const o of overrides) {
    if ("file" in o) c = schema.applyData(c, readConfigFile(o.file), o.file);
    else if ("data" in o) c = schema.applyData(c, o.data, o.source ?? "data");
    else c = schema.applyText(c, o.set, `-c ${o.set}`);
  }
  return c;
}
