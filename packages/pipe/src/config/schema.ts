/**
 * A config schema: named fields in order, with defaults, cross-field validation, freezing,
 * overrides (JSON/YAML data or `-c path=value` texts, never code) and an exact JSON round trip.
 * The TypeScript type of a config is inferred from the schema: `ConfigOf<typeof MySchema>`.
 */
import { ConfigError, type ConfigIssue, joinPath } from "./errors.js";
import type { Field, FieldLine, FieldType } from "./fields.js";

/** Fields of a schema, by name. */
// biome-ignore lint/suspicious/noExplicitAny: fields of any value type (Field<T> is invariant in T)
export type FieldMap = Record<string, Field<any>>;

/** The (mutable) value of a config with these fields. */
export type ConfigValue<F extends FieldMap> = { -readonly [K in keyof F]: FieldType<F[K]> };

/** The config type of a schema: `type IsrConfig = ConfigOf<typeof IsrConfigSchema>`. */
export type ConfigOf<S> = S extends ConfigSchema<infer F> ? ConfigValue<F> : never;

/** Deeply read-only view of a value (what {@link ConfigSchema.freeze} returns). */
export type Frozen<T> = T extends (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** A partial config, as an override file holds it. */
export type DeepPartial<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> | null } : T;

/** Options of a schema. */
export interface SchemaOptions<F extends FieldMap> {
  /** What this config configures. */
  doc?: string;
  /** Cross-field checks: return messages (or issues) for every problem; run after field checks pass. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a validator may return nothing
  validate?(config: ConfigValue<F>): readonly (string | ConfigIssue)[] | string | undefined | void;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * A config schema (a pex_config Config class).
 * @example
 * const Scale = defineConfig("ScaleConfig", {
 *   factor: field.float({ doc: "Multiply pixels by this", default: 2, units: "dimensionless", min: 0 }),
 * });
 * const c = Scale.make({ factor: 3 }); // { factor: 3 }, validated and frozen
 */
export class ConfigSchema<F extends FieldMap> {
  constructor(
    /** Name used in messages and `config show` (e.g. "IsrConfig"). */
    readonly name: string,
    /** The fields in order. */
    readonly fields: F,
    /** Doc and cross-field validation. */
    readonly options: SchemaOptions<F> = {},
  ) {
    for (const k of Object.keys(fields)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`${name}: field name ${JSON.stringify(k)} is not an identifier`);
    }
  }

  /** A fresh mutable config holding every default. */
  defaults(): ConfigValue<F> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(this.fields)) out[k] = f.makeDefault();
    return out as ConfigValue<F>;
  }

  /**
   * A new schema with other defaults (the pex_config `setDefaults()` of a subclass), e.g. an obs
   * package's defaults for a task config. The overrides are applied like an override file.
   */
  withDefaults(name: string, overrides: DeepPartial<ConfigValue<F>>): ConfigSchema<F> {
    const base = this.applyData(this.defaults(), overrides, `${name} defaults`);
    const fields: Record<string, Field<unknown>> = {};
    for (const [k, f] of Object.entries(this.fields)) {
      const def = base[k as keyof F];
      const json = JSON.stringify(f.encode(def));
      fields[k] = Object.assign(Object.create(Object.getPrototypeOf(f) as object), f, {
        makeDefault: () => {
          const issues: ConfigIssue[] = [];
          return f.merge(f.makeDefault(), JSON.parse(json) as unknown, k, issues);
        },
      }) as Field<unknown>;
    }
    return new ConfigSchema(name, fields as F, this.options);
  }

  /** Appends every problem with `value` (fields, then cross-field checks) to `issues`. */
  collectIssues(value: unknown, path: string, issues: ConfigIssue[]): void {
    if (!isPlainObject(value)) {
      issues.push({ path, value, message: `must be a ${this.name} mapping` });
      return;
    }
    const before = issues.length;
    for (const k of Object.keys(value)) {
      if (!Object.hasOwn(this.fields, k))
        issues.push({
          path: joinPath(path, k),
          value: value[k],
          message: `is not a field of ${this.name} (fields: ${Object.keys(this.fields).join(", ")})`,
        });
    }
    for (const [k, f] of Object.entries(this.fields)) f.validate(value[k], joinPath(path, k), issues);
    if (issues.length > before || !this.options.validate) return;
    let r: ReturnType<NonNullable<SchemaOptions<F>["validate"]>>;
    try {
      r = this.options.validate(value as ConfigValue<F>);
    } catch (e) {
      r = `validation failed: ${(e as Error).message}`;
    }
    for (const m of typeof r === "string" ? [r] : (r ?? [])) {
      issues.push(
        typeof m === "string"
          ? { path: path || this.name, value: undefined, message: m }
          : { ...m, path: joinPath(path, m.path) },
      );
    }
  }

  /** Checks a config; throws {@link ConfigError} naming every bad field's full path and value. */
  validate(config: unknown, rootPath = ""): void {
    const issues: ConfigIssue[] = [];
    this.collectIssues(config, rootPath, issues);
    if (issues.length > 0) throw new ConfigError(issues);
  }

  /** Validates, then freezes the config deeply (assignments then throw a TypeError). */
  freeze(config: ConfigValue<F>, rootPath = ""): Frozen<ConfigValue<F>> {
    this.validate(config, rootPath);
    return deepFreeze(config) as Frozen<ConfigValue<F>>;
  }

  /** Defaults + an optional partial override, validated and frozen. */
  make(overrides?: DeepPartial<ConfigValue<F>>): Frozen<ConfigValue<F>> {
    const c = overrides === undefined ? this.defaults() : this.applyData(this.defaults(), overrides, "make()");
    return this.freeze(c);
  }

  /** Merges a partial override (as parsed from JSON/YAML) into `current`; used by fields. */
  mergeInto(current: ConfigValue<F>, override: unknown, path: string, issues: ConfigIssue[]): ConfigValue<F> {
    if (!isPlainObject(override)) {
      issues.push({ path, value: override, message: `must be a mapping of ${this.name} fields` });
      return current;
    }
    const out = { ...(isPlainObject(current) ? current : this.defaults()) } as Record<string, unknown>;
    for (const [k, v] of Object.entries(override)) {
      const f = this.fields[k];
      if (!f) {
        issues.push({
          path: joinPath(path, k),
          value: v,
          message: `is not a field of ${this.name} (fields: ${Object.keys(this.fields).join(", ")})`,
        });
        continue;
      }
      out[k] = f.merge(out[k], v, joinPath(path, k), issues);
    }
    return out as ConfigValue<F>;
  }

  /** Sets a field by its path segments from a text value; used by fields. */
  setPathInto(
    current: ConfigValue<F>,
    segments: readonly string[],
    text: string,
    path: string,
    issues: ConfigIssue[],
  ): ConfigValue<F> {
    const [head, ...rest] = segments;
    if (head === undefined) {
      issues.push({ path, value: text, message: "names a config, not a field" });
      return current;
    }
    const f = this.fields[head];
    if (!f) {
      issues.push({
        path: joinPath(path, head),
        value: text,
        message: `is not a field of ${this.name} (fields: ${Object.keys(this.fields).join(", ")})`,
      });
      return current;
    }
    const out = { ...current } as Record<string, unknown>;
    out[head] = f.setText(out[head], rest, text, joinPath(path, head), issues);
    return out as ConfigValue<F>;
  }

  /**
   * Returns `config` with a data override applied (an object from a JSON or YAML file: nested
   * mappings merge into nested configs, other values replace). Unknown fields throw
   * {@link ConfigError}; values are checked by {@link validate} later.
   */
  applyData(config: ConfigValue<F>, data: unknown, source = "data"): ConfigValue<F> {
    const issues: ConfigIssue[] = [];
    const out = this.mergeInto(config, data, "", issues);
    if (issues.length > 0) throw new ConfigError(issues, source);
    return out;
  }

  /**
   * Returns `config` with `path.to.field=text` applied (the `-c` syntax): the text is parsed per
   * the field's type (bools: true/false/yes/no/1/0; numbers incl. nan/inf; lists as `[a, b]` or
   * `a,b`; dicts as `{k: v}`; registry selection as `field.name=choice` or `field=choice`).
   */
  applyText(config: ConfigValue<F>, assignment: string, source = "-c"): ConfigValue<F> {
    const eq = assignment.indexOf("=");
    if (eq <= 0)
      throw new ConfigError(
        [{ path: assignment, value: assignment, message: "an override must look like path.to.field=value" }],
        source,
      );
    const path = assignment.slice(0, eq).trim();
    const segments = path.split(".").map((s) => s.trim());
    const issues: ConfigIssue[] = [];
    const out = this.setPathInto(config, segments, assignment.slice(eq + 1), "", issues);
    if (issues.length > 0) throw new ConfigError(issues, source);
    return out;
  }

  /** Exact JSON form of a config (every field, in order; non-finite numbers as strings). */
  toJSON(config: ConfigValue<F>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(this.fields)) out[k] = f.encode((config as Record<string, unknown>)[k]);
    return out;
  }

  /** A config from its JSON form (missing fields take their defaults); validated, not frozen. */
  fromJSON(json: unknown, source = "JSON"): ConfigValue<F> {
    const c = this.applyData(this.defaults(), json, source);
    const issues: ConfigIssue[] = [];
    this.collectIssues(c, "", issues);
    if (issues.length > 0) throw new ConfigError(issues, source);
    return c;
  }

  /** Appends one line per leaf field (for `config show`). */
  describeInto(config: ConfigValue<F>, path: string, lines: FieldLine[]): void {
    for (const [k, f] of Object.entries(this.fields))
      f.describe((config as Record<string, unknown>)[k], joinPath(path, k), lines);
  }

  /** Every leaf field with its value, doc, units and type. */
  describe(config: ConfigValue<F>, rootPath = ""): FieldLine[] {
    const lines: FieldLine[] = [];
    this.describeInto(config, rootPath, lines);
    return lines;
  }
}

/** Defines a config schema; see {@link ConfigSchema}. */
export function defineConfig<const F extends FieldMap>(name: string, fields: F, options: SchemaOptions<F> = {}): ConfigSchema<F> {
  return new ConfigSchema(name, fields, options);
}

/** Any config schema. */
export type AnyConfigSchema = ConfigSchema<FieldMap>;

/** Formats `describe()` lines as text: `# doc [units] (type)` then `path = value`. */
export function formatConfig(lines: readonly FieldLine[]): string {
  const out: string[] = [];
  for (const l of lines) {
    out.push(`# ${l.doc}${l.units ? ` [${l.units}]` : ""} (${l.type})`);
    out.push(`${l.path} = ${JSON.stringify(l.value)}`);
  }
  return out.join("\n");
}
