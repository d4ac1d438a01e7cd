/**
 * The where-expression language for data ids (a subset of daf_butler's):
 *   visit = 12 AND detector IN (1, 3, 5..9) OR NOT band = 'r'
 * Operators: = != <> < <= > >=, IN (list with a..b and a..b:step ranges), NOT IN, AND, OR, NOT,
 * parentheses; values are integers, decimals or quoted strings (single or double quotes).
 * Keywords are case-insensitive. Evaluation is three-valued: a comparison on a dimension the data id
 * lacks is unknown, and a data id is kept unless the whole expression is false.
 */
import { ButlerError } from "./errors.js";

type Value = string | number;
/** A parsed where expression. */
export type WhereExpr =
  | { op: "and" | "or"; left: WhereExpr; right: WhereExpr }
  | { op: "not"; arg: WhereExpr }
  | { op: "cmp"; cmp: "=" | "!=" | "<" | "<=" | ">" | ">="; dim: string; value: Value }
  | { op: "in"; dim: string; values: Value[]; ranges: { start: number; stop: number; step: number }[]; negate: boolean }
  | { op: "true" };

interface Token {
  kind: "id" | "num" | "str" | "op" | "punct" | "end";
  text: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string, pos: number): never => {
    throw new ButlerError("BAD_WHERE", `where ${JSON.stringify(src)}: ${msg} at character ${pos + 1}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    let m: RegExpMatchArray | null;
    if ((m = rest.match(/^[A-Za-z_][A-Za-z0-9_.]*/))) out.push({ kind: "id", text: m[0], pos: i });
    else if ((m = rest.match(/^-?(\d+\.\d*|\.\d+|\d+)(e[-+]?\d+)?(?!\.\.)/i)) && !rest.match(/^-?\d+\.\./))
      out.push({ kind: "num", text: m[0], pos: i });
    else if ((m = rest.match(/^-?\d+/))) out.push({ kind: "num", text: m[0], pos: i });
    else if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) fail("unterminated string", i);
      out.push({ kind: "str", text: src.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    } else if ((m = rest.match(/^(<=|>=|!=|<>|=|<|>|\.\.)/))) out.push({ kind: "op", text: m[0], pos: i });
    else if ("(),:".includes(c)) out.push({ kind: "punct", text: c, pos: i });
    else fail(`unexpected ${JSON.stringify(c)}`, i);
    i += out[out.length - 1]!.kind === "str" ? 0 : out[out.length - 1]!.text.length;
  }
  out.push({ kind: "end", text: "", pos: src.length });
  return out;
}

/** Parses a where expression; an empty string gives an expression that is always true. */
export function parseWhere(src: string): WhereExpr {
  if (src.trim() === "") return { op: "true" };
  const toks = tokenize(src);
  let k = 0;
  const peek = (): Token => toks[k]!;
  const fail = (msg: string): never => {
    const t = peek();
    throw new ButlerError(
      "BAD_WHERE",
      `where ${JSON.stringify(src)}: ${msg} at character ${t.pos + 1}${t.kind === "end" ? " (end)" : ` (${JSON.stringify(t.text)})`}`,
    );
  };
  const kw = (word: string): boolean => {
    const t = peek();
    if (t.kind === "id" && t.text.toUpperCase() === word) {
      k++;
      return true;
    }
    return false;
  };
  const punct = (p: string): boolean => {
    if (peek().kind === "punct" && peek().text === p) {
      k++;
      return true;
    }
    return false;
  };
  const value = (): Value => {
    const t = peek();
    if (t.kind === "num") {
      k++;
      return Number(t.text);
    }
    if (t.kind === "str") {
      k++;
      return t.text;
    }
    return fail("expected a number or a quoted string");
  };
  const orExpr = (): WhereExpr => {
    let left = andExpr();
    while (kw("OR")) left = { op: "or", left, right: andExpr() };
    return left;
  };
  const andExpr = (): WhereExpr => {
    let left = notExpr();
    while (kw("AND")) left = { op: "and", left, right: notExpr() };
    return left;
  };
  const notExpr = (): WhereExpr => (kw("NOT") ? { op: "not", arg: notExpr() } : atom());
  const atom = (): WhereExpr => {
    if (punct("(")) {
      const e = orExpr();
      if (!punct(")")) fail("expected )");
      return e;
    }
    const t = peek();
    if (t.kind !== "id" || ["AND", "OR", "NOT", "IN"].includes(t.text.toUpperCase())) return fail("expected a dimension name");
    k++;
    const dim = t.text;
    const negate = kw("NOT");
    if (kw("IN")) {
      if (!punct("(")) fail("expected ( after IN");
      const values: Value[] = [];
      const ranges: { start: number; stop: number; step: number }[] = [];
      do {
        const v = value();
        if (peek().kind === "op" && peek().text === "..") {
          k++;
          const stop = value();
          let step = 1;
          if (punct(":")) step = value() as number;
          if (typeof v !== "number" || typeof stop !== "number" || !Number.isInteger(step) || step <= 0)
            fail("a range is int..int[:step>0]");
          ranges.push({ start: v as number, stop: stop as number, step });
        } else values.push(v);
      } while (punct(","));
      if (!punct(")")) fail("expected , or ) in IN list");
      return { op: "in", dim, values, ranges, negate };
    }
    if (negate) fail("expected IN after NOT");
    const o = peek();
    if (o.kind !== "op" || o.text === "..") return fail("expected a comparison operator");
    k++;
    const cmp = (o.text === "<>" ? "!=" : o.text) as "=" | "!=" | "<" | "<=" | ">" | ">=";
    return { op: "cmp", cmp, dim, value: value() };
  };
  const e = orExpr();
  if (peek().kind !== "end") fail("unexpected text");
  return e;
}

/** Dimension names used by an expression. */
export function whereDimensions(e: WhereExpr): Set<string> {
  const out = new Set<string>();
  const walk = (x: WhereExpr): void => {
    if (x.op === "and" || x.op === "or") {
      walk(x.left);
      walk(x.right);
    } else if (x.op === "not") walk(x.arg);
    else if (x.op === "cmp" || x.op === "in") out.add(x.dim);
  };
  walk(e);
  return out;
}

function compare(a: Value, b: Value): number | undefined {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** Three-valued evaluation: true, false, or null (unknown: a dimension the data id lacks). */
export function evalWhere(e: WhereExpr, dataId: Readonly<Record<string, Value>>): boolean | null {
  switch (e.op) {
    case "true":
      return true;
    case "not": {
      const v = evalWhere(e.arg, dataId);
      return v === null ? null : !v;
    }
    case "and": {
      const l = evalWhere(e.left, dataId);
      if (l === false) return false;
      const r = evalWhere(e.right, dataId);
      if (r === false) return false;
      return l === null || r === null ? null : true;
    }
    case "or": {
      const l = evalWhere(e.left, dataId);
      if (l === true) return true;
      const r = evalWhere(e.right, dataId);
      if (r === true) return true;
      return l === null || r === null ? null : false;
    }
    case "cmp": {
      const v = dataId[e.dim];
      if (v === undefined) return null;
      const c = compare(v, e.value);
      if (c === undefined) return e.cmp === "!=";
      switch (e.cmp) {
        case "=":
          return c === 0;
        case "!=":
          return c !== 0;
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        case ">=":
          return c >= 0;
      }
      return null;
    }
    case "in": {
      const v = dataId[e.dim];
      if (v === undefined) return null;
      let hit = e.values.some((x) => x === v);
      if (!hit && typeof v === "number") hit = e.ranges.some((r) => v >= r.start && v <= r.stop && (v - r.start) % r.step === 0);
      return e.negate ? !hit : hit;
    }
  }
}

/** Parses and checks that every dimension named is known; returns a predicate (keeps unless false). */
export function compileWhere(src: string, known?: Iterable<string>): (dataId: Readonly<Record<string, Value>>) => boolean {
  const e = parseWhere(src);
  if (known) {
    const set = new Set(known);
    for (const d of whereDimensions(e))
      if (!set.has(d))
        throw new ButlerError(
          "BAD_WHERE",
          `where ${JSON.stringify(src)}: unknown dimension ${d} (known: ${[...set].join(", ")})`,
        );
  }
  return (d) => evalWhere(e, d) !== false;
}
