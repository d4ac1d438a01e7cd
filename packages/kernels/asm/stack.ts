// Pixel-by-pixel stacking of N aligned images (the wasm side of `stack`), exported through
// asm/index.ts. Every f64 operation of the clip passes is done in the order of the `ts` oracle
// (src/ts/stack.ts + clipPasses), so each pixel's result is bit-identical to the oracle's before the
// final f32 rounding, whichever path (4-pixel SIMD or scalar) computes it.

import { sortRows } from "./sortnet";
// Per-input pointer tables (u32 each): imgs, msks, vars; strides are equal (S). T (f64 block):
// thresholds as (bit, fraction) pairs, nt of them.

@inline function qsorted(s: usize, n: i32, f: f64): f64 {
  const pos = f * <f64>(n - 1);
  const lo = <i32>Math.floor(pos);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  const a = load<f64>(s + (<usize>lo << 3));
  return a + (pos - <f64>lo) * (load<f64>(s + (<usize>hi << 3)) - a);
}

/** Lane l of rank-sorted f32x4 rows at s (16 bytes a rank): the f-quantile of its n values, as qsorted. */
@inline function qlane(s: usize, l: i32, n: i32, f: f64): f64 {
  const pos = f * <f64>(n - 1);
  const lo = <i32>Math.floor(pos);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  const a = <f64>load<f32>(s + (<usize>lo << 4) + (<usize>l << 2));
  return a + (pos - <f64>lo) * (<f64>load<f32>(s + (<usize>hi << 4) + (<usize>l << 2)) - a);
}

/** Lanes 0-1 (or 2-3 when high) of rank-sorted f32x4 rows at s: the f-quantile of n values, as qsorted. */
@inline function qvec(s: usize, n: i32, f: f64, high: bool = false): v128 {
  const pos = f * <f64>(n - 1);
  const lo = <i32>Math.floor(pos);
  const hi = lo + 1 < n ? lo + 1 : n - 1;
  let a = v128.load(s + (<usize>lo << 4));
  let b = v128.load(s + (<usize>hi << 4));
  if (high) {
    a = i32x4.shuffle(a, a, 2, 3, 0, 1);
    b = i32x4.shuffle(b, b, 2, 3, 0, 1);
  }
  const ad = f64x2.promote_low_f32x4(a);
  return f64x2.add(ad, f64x2.mul(f64x2.splat(pos - <f64>lo), f64x2.sub(f64x2.promote_low_f32x4(b), ad)));
}

/**
 * Mean (stat 0) or MEANCLIP (stat 2) of 4 adjacent output pixels at once, input byte offset pix,
 * output byte offset o. Each f32x4 lane is one pixel; the clip passes run on f64x2 halves (lanes
 * 0-1, 2-3) with keep masks as lane-wise selects. Unusable inputs become NaN (never kept) for the
 * passes and +inf (sorted last) for the rank sort (an unrolled network, asm/sortnet.ts; N <= 16).
 * A pass whose keep set equals the previous one is a fixed point (same sums in the same order), so
 * the remaining passes are skipped without changing any bit. Scratch g: 7N+9 16-byte slots.
 */
function group4(
  imgs: usize, msks: usize, vars: usize, N: i32, pix: usize, stat: i32, wts: usize, andMask: i32,
  k: f64, numIter: i32, T: usize, nt: i32, wAll: f64, oi: usize, ov: usize, om: usize, oc: usize,
  o: usize, g: usize, noData: i32, unit: bool,
): void {
  const SRT = g;
  const X = g + (<usize>N << 4);
  const KP = X + (<usize>N << 5);
  const VV = KP + (<usize>N << 5);
  const L = VV + (<usize>N << 5);
  const inf4 = f32x4.splat(Infinity);
  const nan4 = f32x4.splat(NaN);
  const am4 = i32x4.splat(andMask);
  const z = i32x4.splat(0);
  let orv = z, rejv = z, nv = z;
  for (let i = 0; i < N; i++) {
    const v = v128.load(<usize>load<u32>(imgs + (<usize>i << 2)) + pix);
    let ok = f32x4.lt(f32x4.abs(v), inf4);
    if (msks) {
      const m = v128.load(<usize>load<u32>(msks + (<usize>i << 2)) + pix);
      ok = v128.and(ok, i32x4.eq(v128.and(m, am4), z));
      orv = v128.or(orv, v128.and(m, ok));
      rejv = v128.or(rejv, v128.andnot(m, ok));
    }
    nv = i32x4.sub(nv, ok);
    if (stat == 2) v128.store(SRT + (<usize>i << 4), v128.bitselect(v, inf4, ok));
    const xv = v128.bitselect(v, nan4, ok);
    v128.store(X + (<usize>i << 5), f64x2.promote_low_f32x4(xv));
    v128.store(X + (<usize>i << 5), f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), 16);
    if (vars) {
      const vr = v128.load(<usize>load<u32>(vars + (<usize>i << 2)) + pix);
      v128.store(VV + (<usize>i << 5), f64x2.promote_low_f32x4(vr));
      v128.store(VV + (<usize>i << 5), f64x2.promote_low_f32x4(i32x4.shuffle(vr, vr, 2, 3, 0, 1)), 16);
    }
  }
  v128.store(L, nv);
  let c0 = f64x2.splat(0), c1 = c0;
  // Sums of the final keep set when a pass found it unchanged (fixed), else computed by the final pass.
  let fixed = false;
  let fw0 = c0, fw1 = c0, fx0 = c0, fx1 = c0;
  let h0 = f64x2.splat(Infinity), h1 = h0;
  if (stat == 2) {
    sortRows(SRT, N);
    const ki = k * 0.741301109252802;
    if (i32x4.all_true(i32x4.eq(nv, i32x4.splat(N)))) {
      // Every lane has all N inputs: the same ranks in each lane, interpolated lane-wise.
      const kiv = f64x2.splat(ki);
      v128.store(L + 16, qvec(SRT, N, 0.5));
      v128.store(L + 32, qvec(SRT, N, 0.5, true));
      v128.store(L + 48, f64x2.mul(kiv, f64x2.sub(qvec(SRT, N, 0.75), qvec(SRT, N, 0.25))));
      v128.store(L + 64, f64x2.mul(kiv, f64x2.sub(qvec(SRT, N, 0.75, true), qvec(SRT, N, 0.25, true))));
    } else for (let l = 0; l < 4; l++) {
      const n = load<i32>(L + (<usize>l << 2));
      let c: f64 = NaN, h: f64 = NaN;
      if (n > 0) {
        c = qlane(SRT, l, n, 0.5);
        h = ki * (qlane(SRT, l, n, 0.75) - qlane(SRT, l, n, 0.25));
      }
      store<f64>(L + 16 + (<usize>l << 3), c);
      store<f64>(L + 48 + (<usize>l << 3), h);
    }
    c0 = v128.load(L + 16);
    c1 = v128.load(L + 32);
    h0 = v128.load(L + 48);
    h1 = v128.load(L + 64);
    const kv = f64x2.splat(k);
    const zd = f64x2.splat(0);
    const nand = f64x2.splat(NaN);
    const one = f64x2.splat(1);
    for (let it = 0; it < numIter - 1; it++) {
      const track = it > 0;
      let sw0 = zd, sw1 = zd, sx0 = zd, sx1 = zd, s20 = zd, s21 = zd;
      let changed = z;
      if (unit) {
        // w = 1: w·x = x, w² = 1 and Σw² = Σw exactly, so these are the weighted sums bit for bit.
        for (let i = 0; i < N; i++) {
          const p = X + (<usize>i << 5);
          const x0 = v128.load(p);
          const x1 = v128.load(p, 16);
          const k0 = f64x2.le(f64x2.abs(f64x2.sub(x0, c0)), h0);
          const k1 = f64x2.le(f64x2.abs(f64x2.sub(x1, c1)), h1);
          const q = KP + (<usize>i << 5);
          if (track) changed = v128.or(changed, v128.or(v128.xor(k0, v128.load(q)), v128.xor(k1, v128.load(q, 16))));
          v128.store(q, k0);
          v128.store(q, k1, 16);
          sw0 = f64x2.add(sw0, v128.and(one, k0));
          sw1 = f64x2.add(sw1, v128.and(one, k1));
          sx0 = f64x2.add(sx0, v128.and(x0, k0));
          sx1 = f64x2.add(sx1, v128.and(x1, k1));
        }
        s20 = sw0;
        s21 = sw1;
      } else {
        for (let i = 0; i < N; i++) {
          const w = f64x2.splat(load<f64>(wts + (<usize>i << 3)));
          const ww = f64x2.mul(w, w);
          const p = X + (<usize>i << 5);
          const x0 = v128.load(p);
          const x1 = v128.load(p, 16);
          const k0 = f64x2.le(f64x2.abs(f64x2.sub(x0, c0)), h0);
          const k1 = f64x2.le(f64x2.abs(f64x2.sub(x1, c1)), h1);
          const q = KP + (<usize>i << 5);
          if (track) changed = v128.or(changed, v128.or(v128.xor(k0, v128.load(q)), v128.xor(k1, v128.load(q, 16))));
          v128.store(q, k0);
          v128.store(q, k1, 16);
          sw0 = f64x2.add(sw0, v128.and(w, k0));
          sw1 = f64x2.add(sw1, v128.and(w, k1));
          sx0 = f64x2.add(sx0, v128.and(f64x2.mul(w, x0), k0));
          sx1 = f64x2.add(sx1, v128.and(f64x2.mul(w, x1), k1));
          s20 = f64x2.add(s20, v128.and(ww, k0));
          s21 = f64x2.add(s21, v128.and(ww, k1));
        }
      }
      // An unchanged keep set gives the same sums, hence the same centre and width: a fixed point.
      // The final keep set is this one, with these sums (the final pass then only counts).
      if (track && !v128.any_true(changed)) {
        fixed = true;
        fw0 = sw0;
        fw1 = sw1;
        fx0 = sx0;
        fx1 = sx1;
        break;
      }
      const m0 = f64x2.div(sx0, sw0);
      const m1 = f64x2.div(sx1, sw1);
      let ss0 = zd, ss1 = zd;
      if (unit) {
        for (let i = 0; i < N; i++) {
          const p = X + (<usize>i << 5);
          const q = KP + (<usize>i << 5);
          const d0 = f64x2.sub(v128.load(p), m0);
          const d1 = f64x2.sub(v128.load(p, 16), m1);
          ss0 = f64x2.add(ss0, v128.and(f64x2.mul(d0, d0), v128.load(q)));
          ss1 = f64x2.add(ss1, v128.and(f64x2.mul(d1, d1), v128.load(q, 16)));
        }
      } else {
        for (let i = 0; i < N; i++) {
          const w = f64x2.splat(load<f64>(wts + (<usize>i << 3)));
          const p = X + (<usize>i << 5);
          const q = KP + (<usize>i << 5);
          const d0 = f64x2.sub(v128.load(p), m0);
          const d1 = f64x2.sub(v128.load(p, 16), m1);
          ss0 = f64x2.add(ss0, v128.and(f64x2.mul(f64x2.mul(w, d0), d0), v128.load(q)));
          ss1 = f64x2.add(ss1, v128.and(f64x2.mul(f64x2.mul(w, d1), d1), v128.load(q, 16)));
        }
      }
      const q0 = f64x2.mul(sw0, sw0);
      const q1 = f64x2.mul(sw1, sw1);
      const e0 = f64x2.sub(q0, s20);
      const e1 = f64x2.sub(q1, s21);
      // kept > 1 && den > 0 is den > 0: with one or no kept value den is exactly 0.
      const v0 = v128.bitselect(f64x2.mul(f64x2.div(ss0, sw0), f64x2.div(q0, e0)), nand, f64x2.gt(e0, zd));
      const v1 = v128.bitselect(f64x2.mul(f64x2.div(ss1, sw1), f64x2.div(q1, e1)), nand, f64x2.gt(e1, zd));
      c0 = m0;
      c1 = m1;
      h0 = f64x2.mul(kv, f64x2.sqrt(v0));
      h1 = f64x2.mul(kv, f64x2.sqrt(v1));
    }
  }
  // Final pass: weighted mean of the kept values, variance Σw²v/(Σw)².
  const zd = f64x2.splat(0);
  let sw0 = fw0, sw1 = fw1, sx0 = fx0, sx1 = fx1, sv0 = zd, sv1 = zd;
  let n0 = i64x2.splat(0), n1 = n0;
  const one = f64x2.splat(1);
  for (let i = 0; i < N; i++) {
    const w = unit ? one : f64x2.splat(load<f64>(wts + (<usize>i << 3)));
    let k0: v128, k1: v128;
    if (fixed) {
      const q = KP + (<usize>i << 5);
      k0 = v128.load(q);
      k1 = v128.load(q, 16);
    } else {
      const p = X + (<usize>i << 5);
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      k0 = f64x2.le(f64x2.abs(f64x2.sub(x0, c0)), h0);
      k1 = f64x2.le(f64x2.abs(f64x2.sub(x1, c1)), h1);
      sw0 = f64x2.add(sw0, v128.and(w, k0));
      sw1 = f64x2.add(sw1, v128.and(w, k1));
      sx0 = f64x2.add(sx0, v128.and(unit ? x0 : f64x2.mul(w, x0), k0));
      sx1 = f64x2.add(sx1, v128.and(unit ? x1 : f64x2.mul(w, x1), k1));
    }
    n0 = i64x2.sub(n0, k0);
    n1 = i64x2.sub(n1, k1);
    if (vars) {
      const ww = f64x2.mul(w, w);
      const r = VV + (<usize>i << 5);
      sv0 = f64x2.add(sv0, v128.and(f64x2.mul(ww, v128.load(r)), k0));
      sv1 = f64x2.add(sv1, v128.and(f64x2.mul(ww, v128.load(r, 16)), k1));
    }
  }
  // Lane-wise outputs: count 0 gives 0/0 = NaN for the value; the variance is +inf there.
  const cnt = i32x4.shuffle(n0, n1, 0, 2, 4, 6);
  const none = i32x4.eq(cnt, z);
  const val = i32x4.shuffle(f32x4.demote_f64x2_zero(f64x2.div(sx0, sw0)), f32x4.demote_f64x2_zero(f64x2.div(sx1, sw1)), 0, 1, 4, 5);
  v128.store(oi + o, val);
  v128.store(oc + o, cnt);
  if (ov) {
    const vr = i32x4.shuffle(
      f32x4.demote_f64x2_zero(f64x2.div(sv0, f64x2.mul(sw0, sw0))),
      f32x4.demote_f64x2_zero(f64x2.div(sv1, f64x2.mul(sw1, sw1))), 0, 1, 4, 5);
    v128.store(ov + o, vars ? v128.bitselect(inf4, vr, none) : nan4);
  }
  if (om) {
    v128.store(om + o, v128.or(orv, v128.and(none, i32x4.splat(noData))));
    if (nt > 0 && v128.any_true(rejv)) {
      v128.store(L + 128, rejv);
      for (let l = 0; l < 4; l++) {
        const rej = load<i32>(L + 128 + (<usize>l << 2));
        if (!rej) continue;
        let bits = 0;
        const lp = pix + (<usize>l << 2);
        for (let q = 0; q < nt; q++) {
          const bit = <i32>load<f64>(T + (<usize>(2 * q) << 3));
          if (!(rej & bit)) continue;
          let wr: f64 = 0;
          for (let i = 0; i < N; i++) {
            const v = load<f32>(<usize>load<u32>(imgs + (<usize>i << 2)) + lp);
            const m = load<i32>(<usize>load<u32>(msks + (<usize>i << 2)) + lp);
            if ((!isFinite(v) || (m & andMask)) && (m & bit)) wr += load<f64>(wts + (<usize>i << 3));
          }
          if (wr / wAll > load<f64>(T + (<usize>(2 * q + 1) << 3))) bits |= bit;
        }
        const po = om + o + (<usize>l << 2);
        store<i32>(po, load<i32>(po) | bits);
      }
    }
  }
}

/**
 * Stack rows [y0, y1). stat: 0 mean, 1 median, 2 meanclip. Scratch at scr: 4*N f64 + 16*N bytes,
 * then 7N+9 16-byte slots for group4. Outputs: oi (f32), ov (f32, optional), om (i32, optional),
 * oc (i32).
 */
export function stackRows(
  imgs: usize, msks: usize, vars: usize, N: i32, W: i32, S: i32, OS: i32, y0: i32, y1: i32,
  stat: i32, wts: usize, andMask: i32, k: f64, numIter: i32, T: usize, nt: i32,
  oi: usize, ov: usize, om: usize, oc: usize, scr: usize, noData: i32,
): void {
  const vals = scr;
  const vv = scr + (<usize>N << 3);
  const ws = scr + (<usize>N << 4);
  const srt = scr + (<usize>N << 3) * 3;
  let wAll: f64 = 0;
  let unit = true;
  for (let i = 0; i < N; i++) {
    wAll += load<f64>(wts + (<usize>i << 3));
    unit = unit && load<f64>(wts + (<usize>i << 3)) == 1.0;
  }
  const inf4 = f32x4.splat(Infinity);
  const am4 = i32x4.splat(andMask);
  const simd = stat == 1 && N <= 16;
  const mnet = scr + (<usize>N << 5);
  for (let y = y0; y < y1; y++) {
    let simdUntil = 0;
    for (let x = 0; x < W; x++) {
      const pix = (<usize>y * <usize>S + <usize>x) << 2;
      if ((stat == 0 || (stat == 2 && N <= 16)) && x + 4 <= W) {
        group4(imgs, msks, vars, N, pix, stat, wts, andMask, k, numIter, T, nt, wAll, oi, ov, om, oc,
          (<usize>y * <usize>OS + <usize>x) << 2, scr + (<usize>N * 48), noData, unit);
        x += 3;
        continue;
      }
      if (simd && x >= simdUntil && x + 4 <= W) {
        // Median of 4 pixels at once: odd-even transposition network on f32x4 lanes, taken when all
        // 4 x N inputs are finite and unmasked (else these 4 pixels go through the scalar path).
        let ok = true;
        let orv = i32x4.splat(0);
        for (let i = 0; i < N && ok; i++) {
          const v = v128.load(<usize>load<u32>(imgs + (<usize>i << 2)) + pix);
          if (!i32x4.all_true(f32x4.lt(f32x4.abs(v), inf4))) ok = false;
          if (msks) {
            const m = v128.load(<usize>load<u32>(msks + (<usize>i << 2)) + pix);
            if (v128.any_true(v128.and(m, am4))) ok = false;
            orv = v128.or(orv, m);
          }
          v128.store(mnet + (<usize>i << 4), v);
        }
        if (ok) {
          for (let r = 0; r < N; r++) {
            for (let i = r & 1; i + 1 < N; i += 2) {
              const pa = mnet + (<usize>i << 4);
              const a = v128.load(pa);
              const b = v128.load(pa, 16);
              v128.store(pa, f32x4.min(a, b));
              v128.store(pa, f32x4.max(a, b), 16);
            }
          }
          const lo = (N - 1) >> 1;
          const hi = N >> 1;
          for (let l = 0; l < 4; l++) {
            const a = <f64>load<f32>(mnet + (<usize>lo << 4) + (<usize>l << 2));
            const b = <f64>load<f32>(mnet + (<usize>hi << 4) + (<usize>l << 2));
            const o = pix + (<usize>l << 2) - ((<usize>y * <usize>S) << 2) + ((<usize>y * <usize>OS) << 2);
            store<f32>(oi + o, <f32>(lo == hi ? a : a + 0.5 * (b - a)));
            let sv: f64 = 0;
            if (vars) for (let i = 0; i < N; i++) sv += <f64>load<f32>(<usize>load<u32>(vars + (<usize>i << 2)) + pix + (<usize>l << 2));
            if (ov) store<f32>(ov + o, vars ? <f32>(((Math.PI / 2) * sv) / (<f64>N * <f64>N)) : NaN);
            if (om) store<i32>(om + o, i32x4.extract_lane(orv, 0) * <i32>(l == 0) | i32x4.extract_lane(orv, 1) * <i32>(l == 1) | i32x4.extract_lane(orv, 2) * <i32>(l == 2) | i32x4.extract_lane(orv, 3) * <i32>(l == 3));
            store<i32>(oc + o, N);
          }
          x += 3;
          continue;
        }
        simdUntil = x + 4;
      }
      let n = 0, orBits = 0, rej = 0;
      for (let i = 0; i < N; i++) {
        const v = load<f32>(<usize>load<u32>(imgs + (<usize>i << 2)) + pix);
        const m = msks ? load<i32>(<usize>load<u32>(msks + (<usize>i << 2)) + pix) : 0;
        if (!isFinite(v) || (m & andMask)) {
          rej |= m;
          continue;
        }
        orBits |= m;
        store<f64>(vals + (<usize>n << 3), <f64>v);
        store<f64>(vv + (<usize>n << 3), vars ? <f64>load<f32>(<usize>load<u32>(vars + (<usize>i << 2)) + pix) : 0);
        store<f64>(ws + (<usize>n << 3), load<f64>(wts + (<usize>i << 3)));
        n++;
      }
      let bits = orBits;
      if (rej) {
        for (let q = 0; q < nt; q++) {
          const bit = <i32>load<f64>(T + (<usize>(2 * q) << 3));
          if (!(rej & bit)) continue;
          let wr: f64 = 0;
          for (let i = 0; i < N; i++) {
            const v = load<f32>(<usize>load<u32>(imgs + (<usize>i << 2)) + pix);
            const m = msks ? load<i32>(<usize>load<u32>(msks + (<usize>i << 2)) + pix) : 0;
            if ((!isFinite(v) || (m & andMask)) && (m & bit)) wr += load<f64>(wts + (<usize>i << 3));
          }
          if (wr / wAll > load<f64>(T + (<usize>(2 * q + 1) << 3))) bits |= bit;
        }
      }
      let value: f64 = NaN, variance: f64 = Infinity;
      let count = 0;
      if (n > 0) {
        if (stat != 0) {
          // insertion sort of a copy
          for (let i = 0; i < n; i++) {
            const v = load<f64>(vals + (<usize>i << 3));
            let j = i - 1;
            while (j >= 0 && load<f64>(srt + (<usize>j << 3)) > v) {
              store<f64>(srt + (<usize>(j + 1) << 3), load<f64>(srt + (<usize>j << 3)));
              j--;
            }
            store<f64>(srt + (<usize>(j + 1) << 3), v);
          }
        }
        if (stat == 1) {
          value = qsorted(srt, n, 0.5);
          let sv: f64 = 0;
          for (let i = 0; i < n; i++) sv += load<f64>(vv + (<usize>i << 3));
          variance = ((Math.PI / 2) * sv) / (<f64>n * <f64>n);
          count = n;
        } else {
          let c: f64 = 0, hw: f64 = Infinity;
          if (stat == 2) {
            const med = qsorted(srt, n, 0.5);
            const iqr = qsorted(srt, n, 0.75) - qsorted(srt, n, 0.25);
            c = med;
            hw = k * 0.741301109252802 * iqr;
            for (let it = 0; it < numIter - 1; it++) {
              let sw: f64 = 0, swx: f64 = 0, sw2: f64 = 0;
              let kept = 0;
              for (let i = 0; i < n; i++) {
                const xv = load<f64>(vals + (<usize>i << 3));
                if (!(Math.abs(xv - c) <= hw)) continue;
                const w = load<f64>(ws + (<usize>i << 3));
                sw += w; swx += w * xv; sw2 += w * w; kept++;
              }
              const mean = kept > 0 ? swx / sw : NaN;
              let ss: f64 = 0;
              for (let i = 0; i < n; i++) {
                const xv = load<f64>(vals + (<usize>i << 3));
                if (!(Math.abs(xv - c) <= hw)) continue;
                ss += load<f64>(ws + (<usize>i << 3)) * (xv - mean) * (xv - mean);
              }
              const den = sw * sw - sw2;
              const varr = kept > 1 && den > 0 ? (ss / sw) * ((sw * sw) / den) : NaN;
              c = mean;
              hw = k * Math.sqrt(varr);
            }
          }
          let sw: f64 = 0, swx: f64 = 0, sw2v: f64 = 0;
          for (let i = 0; i < n; i++) {
            const xv = load<f64>(vals + (<usize>i << 3));
            if (stat == 2 && !(Math.abs(xv - c) <= hw)) continue;
            const w = load<f64>(ws + (<usize>i << 3));
            sw += w;
            swx += w * xv;
            sw2v += w * w * load<f64>(vv + (<usize>i << 3));
            count++;
          }
          if (count > 0) {
            value = swx / sw;
            variance = sw2v / (sw * sw);
          }
        }
      }
      if (count == 0) bits |= noData;
      const o = (<usize>y * <usize>OS + <usize>x) << 2;
      store<f32>(oi + o, <f32>value);
      if (ov) store<f32>(ov + o, vars ? <f32>variance : NaN);
      if (om) store<i32>(om + o, bits);
      store<i32>(oc + o, count);
    }
  }
}

