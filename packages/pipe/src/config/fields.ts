/**
 * Config field kinds (the pex_config Field, RangeField, ChoiceField, ListField, DictField,
 * ConfigField, ConfigurableField and RegistryField, done with inferred TypeScript types).
 * A field knows its default, doc, units and checks; how to parse a `-c` text value; how to merge an
 * override from a JSON/YAML file; and how to encode itself to JSON exactly (NaN, ±Infinity and -0
 * become the strings "NaN", "Infinity", "-Infinity", "-0").
 */
import { parse as parseYaml } from "yaml";
import { type ConfigIssue, joinPath } from "./errors.js";
import type { ConfigSchema, ConfigValue, FieldMap } from "./schema.js";

/** A custom check: returns an error message, or undefined/true when the value is fine. */
// biome-ignore lint/suspicious/noConfusingVoidType: a check written as a block may return nothing
export type Check<T> = (value: T) => string | undefined | true | void;

/** One line of `config show`. */
export interface FieldLine {
  /** Full dotted path. */
  path: string;
  /** Current value, JSON-encoded. */
  value: unknown;
  /** The field's doc string. */
  doc: string;
  /** Units, if any. */
  units: string | undefined;
  /** Type and constraints, e.g. "float >= 0", "choice of mean|median". */
  type: string;
}

/** The interface every field kind implements; `T` is the TypeScript type of its value. */
export interface Field<T> {
  /** Kind name ("bool", "int", "float", "string", "choice", "list", "dict", "config", "registry"). */
  readonly kind: string;
  /** What the field means. */
  readonly doc: string;
  /** Physical units of the value (e.g. "pixel", "arcsec", "adu"), if any. */
  readonly units: string | undefined;
  /** True when null is allowed. */
  readonly optional: boolean;
  /** A fresh copy of the default value. */
  makeDefault(): T;
  /** Appends to `issues` every problem with `value` (type, range, allowed values, custom check). */
  validate(value: unknown, path: string, issues: ConfigIssue[]): void;
  /** Returns the value with a JSON/YAML override applied (nested configs merge; others replace). */
  merge(current: T, override: unknown, path: string, issues: ConfigIssue[]): T;
  /** Returns the value with `-c path.to.field=text` applied; `rest` is the path below this field. */
  setText(current: T, rest: readonly string[], text: string, path: string, issues: ConfigIssue[]): T;
  /** JSON encoding (exact: decode(encode(v)) deep-equals v). */
  encode(value: T): unknown;
  /** Type summary for `config show`. */
  typeName(): string;
  /** Lines for `config show` (one per leaf). */
  describe(value: T, path: string, lines: FieldLine[]): void;
}

/** The value type of a field. */
export type FieldType<F> = F extends Field<infer T> ? T : never;

/** Options common to every scalar field. */
export interface CommonOptions<T> {
  /** What the field means (required: `config show` prints it). */
  doc: string;
  /** Default value (null for an optional field or one that must be set). */
  default: T | null;
  /** Physical units, e.g. "pixel", "arcsec", "electron", "s". */
  units?: string;
  /** Allow null. */
  optional?: boolean;
  /** Extra check on a non-null value. */
  check?: Check<T>;
}

type Opt<O, T> = O extends { optional: true } ? T | null : T;

/** JSON encoding of a number (exact, including NaN, ±Infinity and -0). */
export function encodeNumber(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v;
}

/** Inverse of {@link encodeNumber}; also accepts YAML-ish ".nan", ".inf", "inf", "nan". Undefined if not a number. */
export function decodeNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const t = v.trim().toLowerCase();
  if (t === "nan" || t === ".nan") return NaN;
  if (t === "infinity" || t === "inf" || t === ".inf" || t === "+inf" || t === "+infinity") return Infinity;
  if (t === "-infinity" || t === "-inf" || t === "-.inf") return -Infinity;
  if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^[-+]?0x[0-9a-f]+$/.test(t)) return undefined;
  return Number(t);
}

function runCheck<T>(check: Check<T> | undefined, value: T, path: string, issues: ConfigIssue[]): void {
  if (!check) return;
  let r: ReturnType<Check<T>>;
  try {
    r = check(value);
  } catch (e) {
    r = `check failed: ${(e as Error).message}`;
  }
  if (typeof r === "string") issues.push({ path, value, message: r });
}

abstract class ScalarField<T> implements Field<T> {
  abstract readonly kind: string;
  readonly doc: string;
  readonly units: string | undefined;
  readonly optional: boolean;
  protected readonly def: T | null;
  protected readonly check: Check<T> | undefined;

  constructor(o: CommonOptions<T>) {
    this.doc = o.doc;
    this.units = o.units;
    this.optional = o.optional === true;
    this.def = o.default;
    this.check = o.check;
  }
  makeDefault(): T {
    return this.def as T;
  }
  /** Type test and constraints for a non-null value; returns a message or undefined. */
  protected abstract problem(value: unknown): string | undefined;
  /** Converts a text (from -c) to a value, or returns an Error message. */
  protected abstract fromText(text: string): { value: T } | { error: string };
  /** Converts a JSON/YAML value to the field's type where it is an encoding (e.g. "NaN"). */
  protected fromJson(v: unknown): unknown {
    return v;
  }
  validate(value: unknown, path: string, issues: ConfigIssue[]): void {
    if (value === null || value === undefined) {
      if (!this.optional) issues.push({ path, value, message: "is required (no value set)" });
      return;
    }
    const p = this.problem(value);
    if (p !== undefined) issues.push({ path, value, message: p });
    else runCheck(this.check, value as T, path, issues);
  }
  merge(_current: T, override: unknown, _path: string, _issues: ConfigIssue[]): T {
    return (override === null ? null : this.fromJson(override)) as T;
  }
  setText(current: T, rest: readonly string[], text: string, path: string, issues: ConfigIssue[]): T {
    if (rest.length > 0) {
      issues.push({
        path: joinPath(path, rest.join(".")),
        value: text,
        message: `${path} is a ${this.kind} field with no sub-fields`,
      });
      return current;
    }
    const t = text.trim();
    if (this.optional && (t === "null" || t === "None" || t === "~")) return null as T;
    const r = this.fromText(t);
    if ("error" in r) {
      issues.push({ path, value: text, message: r.error });
      return current;
    }
    return r.value;
  }
  encode(value: T): unknown {
    return value;
  }
  describe(value: T, path: string, lines: FieldLine[]): void {
    lines.push({ path, value: this.encode(value), doc: this.doc, units: this.units, type: this.typeName() });
  }
  abstract typeName(): string;
}

/** Options of a bool field. */
export type BoolOptions = CommonOptions<boolean>;

class BoolField<T> extends ScalarField<T> {
  readonly kind = "bool";
  protected problem(v: unknown): string | undefined {
    return typeof v === "boolean" ? undefined : "must be true or false";
  }
  protected fromText(t: string): { value: T } | { error: string } {
    const l = t.toLowerCase();
    if (["true", "yes", "on", "1"].includes(l)) return { value: true as T };
    if (["false", "no", "off", "0"].includes(l)) return { value: false as T };
    return { error: "must be true or false" };
  }
  typeName(): string {
    return this.optional ? "bool or null" : "bool";
  }
}

/** Options of a numeric field: range limits are checked at validation. */
export interface NumberOptions extends CommonOptions<number> {
  /** Smallest allowed value (inclusive unless `inclusiveMin: false`). */
  min?: number;
  /** Largest allowed value (inclusive unless `inclusiveMax: false`). */
  max?: number;
  /** Whether `min` itself is allowed (default true). */
  inclusiveMin?: boolean;
  /** Whether `max` itself is allowed (default true). */
  inclusiveMax?: boolean;
}

class NumberField<T> extends ScalarField<T> {
  readonly kind: "int" | "float";
  private readonly range: NumberOptions;
  constructor(
    o: NumberOptions,
    private readonly integer: boolean,
  ) {
    super(o as CommonOptions<T> & NumberOptions);
    this.kind = integer ? "int" : "float";
    this.range = o;
  }
  protected problem(v: unknown): string | undefined {
    if (typeof v !== "number") return `must be a${this.integer ? "n integer" : " number"}`;
    if (this.integer && !Number.isSafeInteger(v)) return "must be an integer";
    const { min, max, inclusiveMin = true, inclusiveMax = true } = this.range;
    if (min !== undefined && !(inclusiveMin ? v >= min : v > min)) return `must be ${inclusiveMin ? ">=" : ">"} ${min}`;
    if (max !== undefined && !(inclusiveMax ? v <= max : v < max)) return `must be ${inclusiveMax ? "<=" : "<"} ${max}`;
    return undefined;
  }
  protected override fromJson(v: unknown): unknown {
    return typeof v === "string" ? (decodeNumber(v) ?? v) : v;
  }
  protected fromText(t: string): { value: T } | { error: string } {
    const n = decodeNumber(t);
    if (n === undefined) return { error: `cannot parse ${JSON.stringify(t)} as a${this.integer ? "n integer" : " number"}` };
    return { value: n as T };
  }
  override encode(value: T): unknown {
    return typeof value === "number" ? encodeNumber(value) : value;
  }
  typeName(): string {
    const { min, max, inclusiveMin = true, inclusiveMax = true } = this.range;
    let s = this.kind;
    if (min !== undefined) s += ` ${inclusiveMin ? ">=" : ">"} ${min}`;
    if (max !== undefined) s += `${min !== undefined ? "," : ""} ${inclusiveMax ? "<=" : "<"} ${max}`;
    return this.optional ? `${s} or null` : s;
  }
}

/** Options of a string field. */
export interface StringOptions extends CommonOptions<string> {
  /** The value must match this pattern. */
  pattern?: RegExp;
}

class StringField<T> extends ScalarField<T> {
  readonly kind = "string";
  private readonly pattern: RegExp | undefined;
  constructor(o: StringOptions) {
    super(o as CommonOptions<T>);
    this.pattern = o.pattern;
  }
  protected problem(v: unknown): string | undefined {
    if (typeof v !== "string") return "must be a string";
    if (this.pattern && !this.pattern.test(v)) return `must match ${this.pattern}`;
    return undefined;
  }
  protected fromText(t: string): { value: T } {
    return { value: t as T };
  }
  typeName(): string {
    return `string${this.pattern ? ` matching ${this.pattern}` : ""}${this.optional ? " or null" : ""}`;
  }
}

/** Options of a choice field: `allowed` maps each allowed value to its doc. */
export interface ChoiceOptions<K extends string> extends CommonOptions<K> {
  /** The allowed values, each with a doc string. */
  allowed: Record<K, string>;
}

class ChoiceField<T> extends ScalarField<T> {
  readonly kind = "choice";
  readonly allowed: Record<string, string>;
  constructor(o: ChoiceOptions<string>) {
    super(o as unknown as CommonOptions<T>);
    this.allowed = o.allowed;
  }
  protected problem(v: unknown): string | undefined {
    return typeof v === "string" && Object.hasOwn(this.allowed, v)
      ? undefined
      : `must be one of ${Object.keys(this.allowed).join(", ")}`;
  }
  protected fromText(t: string): { value: T } {
    return { value: t as T };
  }
  typeName(): string {
    return `one of ${Object.keys(this.allowed).join("|")}${this.optional ? " or null" : ""}`;
  }
  override describe(value: T, path: string, lines: FieldLine[]): void {
    const docs = Object.entries(this.allowed)
      .map(([k, d]) => `${k}: ${d}`)
      .join("; ");
    lines.push({ path, value, doc: `${this.doc} (${docs})`, units: this.units, type: this.typeName() });
  }
}

/** Parses a list or mapping given on the command line (YAML flow syntax, or comma-separated). */
function parseStructuredText(text: string): unknown {
  return parseYaml(text, { schema: "core", customTags: [], maxAliasCount: 0 });
}

/** Options of a list field. */
export interface ListOptions<T> {
  /** What the list holds. */
  doc: string;
  /** Default items. */
  default: readonly T[] | null;
  /** Units of the items. */
  units?: string;
  /** Allow null. */
  optional?: boolean;
  /** Exact length. */
  length?: number;
  /** Minimum length. */
  minLength?: number;
  /** Maximum length. */
  maxLength?: number;
  /** Check on the whole list. */
  check?: Check<T[]>;
}

class ListField<T> implements Field<T[]> {
  readonly kind = "list";
  readonly doc: string;
  readonly units: string | undefined;
  readonly optional: boolean;
  constructor(
    readonly item: Field<T>,
    private readonly o: ListOptions<T>,
  ) {
    this.doc = o.doc;
    this.units = o.units ?? item.units;
    this.optional = o.optional === true;
  }
  makeDefault(): T[] {
    return this.o.default === null ? (null as unknown as T[]) : [...this.o.default];
  }
  validate(value: unknown, path: string, issues: ConfigIssue[]): void {
    if (value === null || value === undefined) {
      if (!this.optional) issues.push({ path, value, message: "is required (no value set)" });
      return;
    }
    if (!Array.isArray(value)) {
      issues.push({ path, value, message: "must be a list" });
      return;
    }
    const { length, minLength, maxLength } = this.o;
    if (length !== undefined && value.length !== length)
      issues.push({ path, value, message: `must have ${length} items, not ${value.length}` });
    if (minLength !== undefined && value.length < minLength)
      issues.push({ path, value, message: `must have at least ${minLength} items` });
    if (maxLength !== undefined && value.length > maxLength)
      issues.push({ path, value, message: `must have at most ${maxLength} items` });
    const before = issues.length;
    value.forEach((v, i) => {
      this.item.validate(v, `${path}[${i}]`, issues);
    });
    if (issues.length === before) runCheck(this.o.check, value as T[], path, issues);
  }
  merge(_current: T[], override: unknown, path: string, issues: ConfigIssue[]): T[] {
    if (override === null) return null as unknown as T[];
    if (!Array.isArray(override)) return override as T[]; // reported by validate
    return override.map((v, i) => this.item.merge(this.item.makeDefault(), v, `${path}[${i}]`, issues));
  }
  setText(current: T[], rest: readonly string[], text: string, path: string, issues: ConfigIssue[]): T[] {
    if (rest.length > 0) {
      const idx = Number(rest[0]);
      if (!Number.isInteger(idx) || !Array.isArray(current) || idx < 0 || idx > current.length) {
        issues.push({ path: joinPath(path, rest.join(".")), value: text, message: `no list item ${rest[0]}` });
        return current;
      }
      const out = [...current];
      out[idx] = this.item.setText(current[idx] as T, rest.slice(1), text, `${path}[${idx}]`, issues);
      return out;
    }
    const t = text.trim();
    if (this.optional && (t === "null" || t === "None")) return null as unknown as T[];
    let items: unknown[];
    if (t.startsWith("[")) {
      let parsed: unknown;
      try {
        parsed = parseStructuredText(t);
      } catch (e) {
        issues.push({ path, value: text, message: `cannot parse list: ${(e as Error).message.split("\n")[0]}` });
        return current;
      }
      if (!Array.isArray(parsed)) {
        issues.push({ path, value: text, message: "must be a list" });
        return current;
      }
      items = parsed.map((v, i) =>
        typeof v === "string"
          ? this.item.setText(this.item.makeDefault(), [], v, `${path}[${i}]`, issues)
          : this.item.merge(this.item.makeDefault(), v, `${path}[${i}]`, issues),
      );
    } else {
      items =
        t === ""
          ? []
          : t.split(",").map((s, i) => this.item.setText(this.item.makeDefault(), [], s.trim(), `${path}[${i}]`, issues));
    }
    return items as T[];
  }
  encode(value: T[]): unknown {
    return Array.isArray(value) ? value.map((v) => this.item.encode(v)) : value;
  }
  typeName(): string {
    return `list of ${this.item.typeName()}`;
  }
  describe(value: T[], path: string, lines: FieldLine[]): void {
    lines.push({ path, value: this.encode(value), doc: this.doc, units: this.units, type: this.typeName() });
  }
}

/** Options of a dict field (string keys). */
export interface DictOptions<T> {
  /** What the dict holds. */
  doc: string;
  /** Default entries. */
  default: Readonly<Record<string, T>> | null;
  /** Units of the values. */
  units?: string;
  /** Allow null. */
  optional?: boolean;
  /** Check on each key; returns a message when bad. */
  keyCheck?: Check<string>;
  /** Check on the whole dict. */
  check?: Check<Record<string, T>>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class DictField<T> implements Field<Record<string, T>> {
  readonly kind = "dict";
  readonly doc: string;
  readonly units: string | undefined;
  readonly optional: boolean;
  constructor(
    readonly item: Field<T>,
    private readonly o: DictOptions<T>,
  ) {
    this.doc = o.doc;
    this.units = o.units ?? item.units;
    this.optional = o.optional === true;
  }
  makeDefault(): Record<string, T> {
    return this.o.default === null ? (null as unknown as Record<string, T>) : { ...this.o.default };
  }
  validate(value: unknown, path: string, issues: ConfigIssue[]): void {
    if (value === null || value === undefined) {
      if (!this.optional) issues.push({ path, value, message: "is required (no value set)" });
      return;
    }
    if (!isPlainObject(value)) {
      issues.push({ path, value, message: "must be a mapping" });
      return;
    }
    const before = issues.length;
    for (const [k, v] of Object.entries(value)) {
      runCheck(this.o.keyCheck, k, `${path}[${JSON.stringify(k)}]`, issues);
      this.item.validate(v, `${path}[${JSON.stringify(k)}]`, issues);
    }
    if (issues.length === before) runCheck(this.o.check, value as Record<string, T>, path, issues);
  }
  merge(_current: Record<string, T>, override: unknown, path: string, issues: ConfigIssue[]): Record<string, T> {
    if (override === null) return null as unknown as Record<string, T>;
    if (!isPlainObject(override)) return override as Record<string, T>;
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(override))
      out[k] = this.item.merge(this.item.makeDefault(), v, `${path}[${JSON.stringify(k)}]`, issues);
    return out;
  }
  setText(
    current: Record<string, T>,
    rest: readonly string[],
    text: string,
    path: string,
    issues: ConfigIssue[],
  ): Record<string, T> {
    if (rest.length > 0) {
      const key = rest[0]!;
      const base = isPlainObject(current) ? current : {};
      const prev = Object.hasOwn(base, key) ? (base[key] as T) : this.item.makeDefault();
      return { ...base, [key]: this.item.setText(prev, rest.slice(1), text, `${path}[${JSON.stringify(key)}]`, issues) };
    }
    let parsed: unknown;
    try {
      parsed = parseStructuredText(text);
    } catch (e) {
      issues.push({ path, value: text, message: `cannot parse mapping: ${(e as Error).message.split("\n")[0]}` });
      return current;
    }
    if (parsed === null && this.optional) return null as unknown as Record<string, T>;
    if (!isPlainObject(parsed)) {
      issues.push({ path, value: text, message: "must be a mapping like {a: 1, b: 2}" });
      return current;
    }
    return this.merge(current, parsed, path, issues);
  }
  encode(value: Record<string, T>): unknown {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.item.encode(v as T);
    return out;
  }
  typeName(): string {
    return `dict of ${this.item.typeName()}`;
  }
  describe(value: Record<string, T>, path: string, lines: FieldLine[]): void {
    lines.push({ path, value: this.encode(value), doc: this.doc, units: this.units, type: this.typeName() });
  }
}

/** A nested config (pex_config ConfigField). */
class ConfigField<F extends FieldMap> implements Field<ConfigValue<F>> {
  readonly kind = "config";
  readonly units = undefined;
  readonly optional = false;
  constructor(
    readonly schema: ConfigSchema<F>,
    readonly doc: string,
    /** For a subtask field: the task class made from this config. */
    readonly target?: unknown,
  ) {}
  makeDefault(): ConfigValue<F> {
    return this.schema.defaults();
  }
  validate(value: unknown, path: string, issues: ConfigIssue[]): void {
    this.schema.collectIssues(value, path, issues);
  }
  merge(current: ConfigValue<F>, override: unknown, path: string, issues: ConfigIssue[]): ConfigValue<F> {
    return this.schema.mergeInto(current, override, path, issues);
  }
  setText(current: ConfigValue<F>, rest: readonly string[], text: string, path: string, issues: ConfigIssue[]): ConfigValue<F> {
    if (rest.length === 0) {
      issues.push({
        path,
        value: text,
        message: `is a nested config (${this.schema.name}); set one of its fields, e.g. ${path}.${Object.keys(this.schema.fields)[0] ?? "x"}=...`,
      });
      return current;
    }
    return this.schema.setPathInto(current, rest, text, path, issues);
  }
  encode(value: ConfigValue<F>): unknown {
    return this.schema.toJSON(value);
  }
  typeName(): string {
    return `config ${this.schema.name}`;
  }
  describe(value: ConfigValue<F>, path: string, lines: FieldLine[]): void {
    this.schema.describeInto(value, path, lines);
  }
}

/** Anything with a config schema (a Task class) that a subtask or registry field can build. */
export interface Configurable<S extends ConfigSchema<FieldMap> = ConfigSchema<FieldMap>> {
  /** The schema of the task's config. */
  readonly ConfigSchema: S;
  /** The task's default name. */
  readonly defaultName: string;
}

/** One choice of a registry field: its config schema, the task it makes, and a doc. */
export interface RegistryChoice<S extends ConfigSchema<FieldMap> = ConfigSchema<FieldMap>> {
  /** Config of this choice. */
  config: S;
  /** The class this choice builds (for subtasks), if any. */
  target?: Configurable<S> | undefined;
  /** What this choice does. */
  doc?: string;
}

/** Choices of a registry field by name. */
export type RegistryChoices = Record<string, RegistryChoice>;

type ChoiceConfigs<R extends RegistryChoices> = {
  -readonly [K in keyof R]: R[K] extends RegistryChoice<infer S> ? ConfigValue<S["fields"]> : never;
};

/** Value of a single-choice registry field: the selected `name` plus the config of every choice. */
export type RegistryValue<R extends RegistryChoices> = { name: keyof R & string } & ChoiceConfigs<R>;
/** Value of a multi-choice registry field: the selected `names` plus the config of every choice. */
export type MultiRegistryValue<R extends RegistryChoices> = { names: (keyof R & string)[] } & ChoiceConfigs<R>;

/** A registry field (pex_config RegistryField): picks one (or, `multi`, several) named implementations. */
class RegistryField<R extends RegistryChoices, V> implements Field<V> {
  readonly kind = "registry";
  readonly units = undefined;
  readonly optional = false;
  constructor(
    readonly choices: R,
    readonly doc: string,
    private readonly def: string | readonly string[],
    readonly multi: boolean,
  ) {}
  makeDefault(): V {
    const out: Record<string, unknown> = this.multi ? { names: [...(this.def as string[])] } : { name: this.def };
    for (const [k, c] of Object.entries(this.choices)) out[k] = c.config.defaults();
    return out as V;
  }
  private get selectKey(): string {
    return this.multi ? "names" : "name";
  }
  validate(value: unknown, path: string, issues: ConfigIssue[]): void {
    if (!isPlainObject(value)) {
      issues.push({ path, value, message: "must be a registry mapping" });
      return;
    }
    const names = Object.keys(this.choices);
    const sel = value[this.selectKey];
    const check = (n: unknown, p: string): void => {
      if (typeof n !== "string" || !Object.hasOwn(this.choices, n))
        issues.push({ path: p, value: n, message: `must be one of ${names.join(", ")}` });
    };
    if (this.multi) {
      if (!Array.isArray(sel)) issues.push({ path: `${path}.names`, value: sel, message: "must be a list of names" });
      else {
        sel.forEach((n, i) => {
          check(n, `${path}.names[${i}]`);
        });
        if (new Set(sel).size !== sel.length) issues.push({ path: `${path}.names`, value: sel, message: "has duplicate names" });
      }
    } else check(sel, `${path}.name`);
    for (const k of Object.keys(value)) {
      if (k === this.selectKey) continue;
      const c = this.choices[k];
      if (!c)
        issues.push({
          path: joinPath(path, k),
          value: value[k],
          message: `unknown registry entry (choices: ${names.join(", ")})`,
        });
      else c.config.collectIssues(value[k], joinPath(path, k), issues);
    }
  }
  merge(current: V, override: unknown, path: string, issues: ConfigIssue[]): V {
    if (!isPlainObject(override)) return override as V;
    const out = { ...(current as Record<string, unknown>) };
    for (const [k, v] of Object.entries(override)) {
      if (k === this.selectKey) out[k] = Array.isArray(v) ? [...v] : v;
      else {
        const c = this.choices[k];
        if (!c)
          issues.push({
            path: joinPath(path, k),
            value: v,
            message: `unknown registry entry (choices: ${Object.keys(this.choices).join(", ")})`,
          });
        else out[k] = c.config.mergeInto(out[k] as never, v, joinPath(path, k), issues);
      }
    }
    return out as V;
  }
  setText(current: V, rest: readonly string[], text: string, path: string, issues: ConfigIssue[]): V {
    const [head, ...tail] = rest;
    const out = { ...(current as Record<string, unknown>) };
    if (head === undefined) {
      // `-c algo=psfex` is shorthand for `-c algo.name=psfex`.
      out[this.selectKey] = this.multi
        ? text
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== "")
        : text.trim();
      return out as V;
    }
    if (head === this.selectKey && tail.length === 0) {
      const t = text.trim();
      out[head] = this.multi
        ? t.startsWith("[")
          ? parseStructuredText(t)
          : t
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "")
        : t;
      return out as V;
    }
    const c = this.choices[head];
    if (!c) {
      issues.push({
        path: joinPath(path, head),
        value: text,
        message: `unknown registry entry (choices: ${Object.keys(this.choices).join(", ")}; select with ${path}.${this.selectKey})`,
      });
      return current;
    }
    if (tail.length === 0) {
      issues.push({ path: joinPath(path, head), value: text, message: "is a nested config; set one of its fields" });
      return current;
    }
    out[head] = c.config.setPathInto(out[head] as never, tail, text, joinPath(path, head), issues);
    return out as V;
  }
  encode(value: V): unknown {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    const sel = value[this.selectKey];
    out[this.selectKey] = Array.isArray(sel) ? [...sel] : sel;
    for (const [k, c] of Object.entries(this.choices)) if (Object.hasOwn(value, k)) out[k] = c.config.toJSON(value[k] as never);
    return out;
  }
  typeName(): string {
    return `registry (${Object.keys(this.choices).join("|")})`;
  }
  describe(value: V, path: string, lines: FieldLine[]): void {
    const v = value as Record<string, unknown>;
    const docs = Object.entries(this.choices)
      .map(([k, c]) => `${k}${c.doc ? `: ${c.doc}` : ""}`)
      .join("; ");
    lines.push({
      path: `${path}.${this.selectKey}`,
      value: v[this.selectKey],
      doc: `${this.doc} (${docs})`,
      units: undefined,
      type: this.typeName(),
    });
    for (const [k, c] of Object.entries(this.choices)) c.config.describeInto(v[k] as never, joinPath(path, k), lines);
  }
}

/** Builders for config fields: `field.float({ doc, default, units, min })` and so on. */
export const field = {
  /** A true/false flag. */
  bool<const O extends BoolOptions>(o: O): Field<Opt<O, boolean>> {
    return new BoolField<Opt<O, boolean>>(o);
  },
  /** An integer (safe integer range), optionally limited to [min, max]. */
  int<const O extends NumberOptions>(o: O): Field<Opt<O, number>> {
    return new NumberField<Opt<O, number>>(o, true);
  },
  /** A floating-point number (NaN and ±Infinity allowed unless a range excludes them). */
  float<const O extends NumberOptions>(o: O): Field<Opt<O, number>> {
    return new NumberField<Opt<O, number>>(o, false);
  },
  /** A string, optionally matching a pattern. */
  string<const O extends StringOptions>(o: O): Field<Opt<O, string>> {
    return new StringField<Opt<O, string>>(o);
  },
  /** One of a fixed set of strings, each with a doc (pex_config ChoiceField). */
  choice<const A extends Record<string, string>, const Op extends boolean = false>(o: {
    doc: string;
    allowed: A;
    default: NoInfer<keyof A & string> | null;
    units?: string;
    optional?: Op;
    check?: Check<keyof A & string>;
  }): Field<Op extends true ? (keyof A & string) | null : keyof A & string> {
    return new ChoiceField(o as unknown as ChoiceOptions<string>);
  },
  /** A list of values of one field kind (pex_config ListField). */
  list<T, const O extends ListOptions<T>>(item: Field<T>, o: O & ListOptions<T>): Field<Opt<O, T[]>> {
    return new ListField<T>(item, o) as unknown as Field<Opt<O, T[]>>;
  },
  /** A mapping from string keys to values of one field kind (pex_config DictField). */
  dict<T, const O extends DictOptions<T>>(item: Field<T>, o: O & DictOptions<T>): Field<Opt<O, Record<string, T>>> {
    return new DictField<T>(item, o) as unknown as Field<Opt<O, Record<string, T>>>;
  },
  /** A nested config (pex_config ConfigField). */
  config<F extends FieldMap>(schema: ConfigSchema<F>, o: { doc: string }): Field<ConfigValue<F>> {
    return new ConfigField(schema, o.doc);
  },
  /** The config of a subtask, built by `task.makeSubtask(name)` (pex_config ConfigurableField). */
  subtask<F extends FieldMap>(target: Configurable<ConfigSchema<F>>, o: { doc: string }): Field<ConfigValue<F>> {
    return new ConfigField(target.ConfigSchema, o.doc, target);
  },
  /** Picks one named implementation; every choice keeps its own config (pex_config RegistryField). */
  registry<const R extends RegistryChoices>(choices: R, o: { doc: string; default: keyof R & string }): Field<RegistryValue<R>> {
    return new RegistryField<R, RegistryValue<R>>(choices, o.doc, o.default, false);
  },
  /** Picks any number of named implementations (pex_config RegistryField with multi=True). */
  multiRegistry<const R extends RegistryChoices>(
    choices: R,
    o: { doc: string; default: readonly (keyof R & string)[] },
  ): Field<MultiRegistryValue<R>> {
    return new RegistryField<R, MultiRegistryValue<R>>(choices, o.doc, o.default, true);
  },
};

/** The subtask target of a field made by {@link field.subtask}, if it is one. */
export function subtaskTarget(f: Field<unknown>): Configurable | undefined {
  return f instanceof ConfigField ? (f.target as Configurable | undefined) : undefined;
}

/** The registry choices of a field made by {@link field.registry}/{@link field.multiRegistry}, if it is one. */
export function registryInfo(f: Field<unknown>): { choices: RegistryChoices; multi: boolean } | undefined {
  return f instanceof RegistryField ? { choices: f.choices, multi: f.multi } : undefined;
}
