/**
 * Fast evaluation of a pair of bivariate polynomials that share their argument (SIP's A and B, AP
 * and BP, or TPV's ξ and η with their radial terms), for the inner loops of the vectorised
 * transforms and Newton inverses.
 *
 * The pair is compiled once per WCS into straight-line code: the powers xⁱ, yʲ are computed once
 * per point and both values (and, on request, both gradients, with the derivative coefficients
 * i·c and j·c folded in) are sums of monomials with the coefficients as literals. Literals are
 * written with `Number.prototype.toString`, which round-trips every double exactly, so the compiled
 * functions compute the same polynomial as {@link Poly2D} (up to summation order). No allocation
 * per point.
 */
import type { Poly2D } from "./poly.js";

type Term = { i: number; j: number; c: number };

function monomial(i: number, j: number): string {
  const parts: string[] = [];
  if (i > 0) parts.push(i === 1 ? "x" : `x${i}`);
  if (j > 0) parts.push(j === 1 ? "y" : `y${j}`);
  return parts.join("*");
}

function sum(terms: Term[]): string {
  if (terms.length === 0) return "0";
  return terms
    .map((t) => {
      const m = monomial(t.i, t.j);
      const c = `(${t.c.toString()})`;
      return m ? `${c}*${m}` : c;
    })
    .join(" + ");
}

function termsOf(p: Poly2D): { v: Term[]; dx: Term[]; dy: Term[] } {
  const v: Term[] = [];
  const dx: Term[] = [];
  const dy: Term[] = [];
  for (let i = 0; i <= p.order; i++)
    for (let j = 0; i + j <= p.order; j++) {
      const c = p.get(i, j);
      if (c === 0) continue;
      v.push({ i, j, c });
      if (i > 0) dx.push({ i: i - 1, j, c: i * c });
      if (j > 0) dy.push({ i, j: j - 1, c: j * c });
    }
  return { v, dx, dy };
}

function powers(n: number): string {
  const s: string[] = [];
  for (let k = 2; k <= n; k++) {
    s.push(`const x${k} = ${k === 2 ? "x" : `x${k - 1}`} * x;`);
    s.push(`const y${k} = ${k === 2 ? "y" : `y${k - 1}`} * y;`);
  }
  return s.join("\n");
}

function evalTerms(terms: readonly Term[], x: number, y: number): number {
  let s = 0;
  for (const t of terms) s += t.c * x ** t.i * y ** t.j;
  return s;
}

/** TPV radial part r(c1 + c3 r² + c5 r⁴ + c7 r⁶) and its gradient factor g (∂/∂x = g·x). */
function radial(p: Poly2D, x: number, y: number): { v: number; g: number } {
  const rc = p.radial;
  if (!rc) return { v: 0, g: 0 };
  const r2 = x * x + y * y;
  const rr = Math.sqrt(r2);
  const [c1, c3, c5, c7] = [rc[0] ?? 0, rc[1] ?? 0, rc[2] ?? 0, rc[3] ?? 0];
  const v = rr * (c1 + r2 * (c3 + r2 * (c5 + r2 * c7)));
  const g = rr > 0 ? (c1 + r2 * (3 * c3 + r2 * (5 * c5 + r2 * 7 * c7))) / rr : 0;
  return { v, g };
}

/** Two polynomials compiled for joint evaluation. */
export class PolyPair {
  /** (a(x, y), b(x, y)) into out[0..1]. */
  readonly eval: (x: number, y: number, out: Float64Array) => void;
  /** (a, ∂a/∂x, ∂a/∂y, b, ∂b/∂x, ∂b/∂y) at (x, y) into out[0..5]. */
  readonly evalDeriv: (x: number, y: number, out: Float64Array) => void;

  /** @param a first polynomial @param b second polynomial (TPV radial terms allowed) */
  constructor(a: Poly2D, b: Poly2D) {
    const n = Math.max(a.order, b.order);
    const ta = termsOf(a);
    const tb = termsOf(b);
    let pw = powers(n);
    // TPV radial terms: f += r (c1 + r² (c3 + r² (c5 + r² c7))), ∂f/∂x = g x with g = (c1 + 3c3 r² + 5c5 r⁴ + 7c7 r⁶)/r
    const rad = (p: Poly2D, name: string): { v: string; gx: string; gy: string } => {
      const rc = p.radial;
      if (!rc) return { v: "", gx: "", gy: "" };
      const c = Array.from(rc, (q) => `(${q.toString()})`);
      pw += `\nconst ${name}v = rr * (${c[0]} + r2 * (${c[1]} + r2 * (${c[2]} + r2 * ${c[3]})));`;
      pw += `\nconst ${name}g = rr > 0 ? (${c[0]} + r2 * (3 * ${c[1]} + r2 * (5 * ${c[2]} + r2 * 7 * ${c[3]}))) / rr : 0;`;
      return { v: ` + ${name}v`, gx: ` + ${name}g * x`, gy: ` + ${name}g * y` };
    };
    if (a.radial || b.radial) pw += "\nconst r2 = x * x + y * y;\nconst rr = Math.sqrt(r2);";
    const ra = rad(a, "a");
    const rb = rad(b, "b");
    const evalSrc = `"use strict";\n${pw}\no[0] = ${sum(ta.v)}${ra.v};\no[1] = ${sum(tb.v)}${rb.v};`;
    const derivSrc = `"use strict";\n${pw}\no[0] = ${sum(ta.v)}${ra.v};\no[1] = ${sum(ta.dx)}${ra.gx};\no[2] = ${sum(ta.dy)}${ra.gy};\no[3] = ${sum(tb.v)}${rb.v};\no[4] = ${sum(tb.dx)}${rb.gx};\no[5] = ${sum(tb.dy)}${rb.gy};`;
    type Fn = (x: number, y: number, out: Float64Array) => void;
    try {
      this.eval = new Function("x", "y", "o", evalSrc) as Fn;
      this.evalDeriv = new Function("x", "y", "o", derivSrc) as Fn;
    } catch {
      // Code generation disallowed (a browser CSP without 'unsafe-eval', or
      // --disallow-code-generation-from-strings): evaluate the same terms in a loop.
      this.eval = (x, y, o) => {
        o[0] = evalTerms(ta.v, x, y) + radial(a, x, y).v;
        o[1] = evalTerms(tb.v, x, y) + radial(b, x, y).v;
      };
      this.evalDeriv = (x, y, o) => {
        const qa = radial(a, x, y);
        const qb = radial(b, x, y);
        o[0] = evalTerms(ta.v, x, y) + qa.v;
        o[1] = evalTerms(ta.dx, x, y) + qa.g * x;
        o[2] = evalTerms(ta.dy, x, y) + qa.g * y;
        o[3] = evalTerms(tb.v, x, y) + qb.v;
        o[4] = evalTerms(tb.dx, x, y) + qb.g * x;
        o[5] = evalTerms(tb.dy, x, y) + qb.g * y;
      };
    }
  }
}
