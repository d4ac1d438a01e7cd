// Whole-region statistics of the `wasm` backend (lsst-anatomy 1.7) without gathering the pixels
// (driven by src/wasm/statistics.ts): pass 1 (statsHist) builds a radix histogram of the top 20
// bits of order-preserving float keys; pass 2 (statsCollect) copies out the values of the few bins
// holding the wanted ranks and of the tails outside a core of bins, and sums the core as shifted
// moments (Σd, Σd², d = x - s in f64) per fixed row block, so the block partials (combined in
// block order by the caller) do not depend on the thread split; statsClip is the full clip pass
// used when the core does not apply. A pixel is used iff finite and (mask & andMask) == 0.
// Nothing here allocates.

/** Key bins (top KEY_BITS bits of the key); slot NBINS counts unused pixels. */
const KEY_BITS: i32 = 20;
const NBINS: i32 = 1 << KEY_BITS;

const INF4: v128 = f32x4(Infinity, Infinity, Infinity, Infinity);
const NINF4: v128 = f32x4(-Infinity, -Infinity, -Infinity, -Infinity);
const ZERO4: v128 = i32x4(0, 0, 0, 0);
const SIGN4: v128 = i32x4(0x80000000, 0x80000000, 0x80000000, 0x80000000);
const DUMMY4: v128 = i32x4(NBINS, NBINS, NBINS, NBINS);

/** Top KEY_BITS bits of the order-preserving u32 key of each f32 lane (key = bits ^ (neg ? ~0 : 1<<31)). */
@inline function keyBin4(v: v128): v128 {
  return i32x4.shr_u(v128.xor(v, v128.or(i32x4.shr_s(v, 31), SIGN4)), 32 - KEY_BITS);
}

@inline function keyBin(x: f32): i32 {
  const b = reinterpret<i32>(x);
  return <i32>(<u32>(b ^ ((b >> 31) | 0x80000000)) >>> (32 - KEY_BITS));
}

/**
 * Pass 1 over rows [ya, yb) of the box (x0, y0, w) of an image with row stride S (pixels):
 * histogram of used pixels by key bin into hist (NBINS + 1 u32, cleared here; unused pixels land
 * in slot NBINS), and R = [nMasked i32, nNonFinite i32, orMask i32, min f32, max f32] (a zero
 * min or max may come back as -0 or +0).
 */
export function statsHist(img: usize, msk: usize, S: i32, x0: i32, y0: i32, w: i32, ya: i32, yb: i32, andMask: i32, hist: usize, R: usize): void {
  memory.fill(hist, 0, <usize>(NBINS + 1) << 2);
  const am = i32x4.splat(andMask);
  let cMask = ZERO4, cNon = ZERO4, orv = ZERO4, mn = INF4, mx = NINF4;
  let sMask = 0, sNon = 0, sOr = 0;
  let smn: f32 = Infinity, smx: f32 = -Infinity;
  for (let y = ya; y < yb; y++) {
    const off = (<usize>(y0 + y) * <usize>S + <usize>x0) << 2;
    const row = img + off;
    const mrow = msk + off;
    let x = 0;
    for (; x + 4 <= w; x += 4) {
      const v = v128.load(row + (<usize>x << 2));
      const fin = f32x4.lt(f32x4.abs(v), INF4);
      let valid = fin;
      if (msk) {
        const m = v128.load(mrow + (<usize>x << 2));
        const masked = i32x4.ne(v128.and(m, am), ZERO4);
        valid = v128.andnot(fin, masked);
        cMask = i32x4.sub(cMask, masked);
        cNon = i32x4.sub(cNon, v128.andnot(v128.not(fin), masked));
        orv = v128.or(orv, v128.and(m, valid));
      } else cNon = i32x4.sub(cNon, v128.not(fin));
      // pmin/pmax (one instruction each on x86): lanes hold no NaN; the caller canonicalises ±0.
      mn = f32x4.pmin(mn, v128.bitselect(v, INF4, valid));
      mx = f32x4.pmax(mx, v128.bitselect(v, NINF4, valid));
      const o = i32x4.shl(v128.bitselect(keyBin4(v), DUMMY4, valid), 2);
      const p0 = hist + <usize>i32x4.extract_lane(o, 0);
      store<u32>(p0, load<u32>(p0) + 1);
      const p1 = hist + <usize>i32x4.extract_lane(o, 1);
      store<u32>(p1, load<u32>(p1) + 1);
      const p2 = hist + <usize>i32x4.extract_lane(o, 2);
      store<u32>(p2, load<u32>(p2) + 1);
      const p3 = hist + <usize>i32x4.extract_lane(o, 3);
      store<u32>(p3, load<u32>(p3) + 1);
    }
    for (; x < w; x++) {
      const v = load<f32>(row + (<usize>x << 2));
      const m = msk ? load<i32>(mrow + (<usize>x << 2)) : 0;
      let slot = NBINS;
      if (m & andMask) sMask++;
      else if (!isFinite(v)) sNon++;
      else {
        sOr |= m;
        if (v < smn) smn = v;
        if (v > smx) smx = v;
        slot = keyBin(v);
      }
      const p = hist + (<usize>slot << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
  }
  sMask += i32x4.extract_lane(cMask, 0) + i32x4.extract_lane(cMask, 1) + i32x4.extract_lane(cMask, 2) + i32x4.extract_lane(cMask, 3);
  sNon += i32x4.extract_lane(cNon, 0) + i32x4.extract_lane(cNon, 1) + i32x4.extract_lane(cNon, 2) + i32x4.extract_lane(cNon, 3);
  sOr |= i32x4.extract_lane(orv, 0) | i32x4.extract_lane(orv, 1) | i32x4.extract_lane(orv, 2) | i32x4.extract_lane(orv, 3);
  const m4 = f32x4.min(mn, i32x4.shuffle(mn, mn, 2, 3, 0, 1));
  const m2 = f32x4.min(m4, i32x4.shuffle(m4, m4, 1, 0, 3, 2));
  const x4 = f32x4.max(mx, i32x4.shuffle(mx, mx, 2, 3, 0, 1));
  const x2 = f32x4.max(x4, i32x4.shuffle(x4, x4, 1, 0, 3, 2));
  const vmn = f32x4.extract_lane(m2, 0);
  const vmx = f32x4.extract_lane(x2, 0);
  store<i32>(R, sMask);
  store<i32>(R, sNon, 4);
  store<i32>(R, sOr, 8);
  store<f32>(R, vmn < smn ? vmn : smn, 12);
  store<f32>(R, vmx > smx ? vmx : smx, 16);
}

/** out[b] (u32, NBINS bins) = Σ over nh histograms at h + t*hstride (bytes) of bin b. */
export function histMerge(h: usize, nh: i32, hstride: usize, out: usize): void {
  for (let b = 0; b < NBINS; b += 4) {
    let a = v128.load(h + (<usize>b << 2));
    for (let t = 1; t < nh; t++) a = i32x4.add(a, v128.load(h + <usize>t * hstride + (<usize>b << 2)));
    v128.store(out + (<usize>b << 2), a);
  }
}

/**
 * For each of the nr ascending ranks at rk (f64), the key bin holding it in the merged histogram
 * hist (NBINS u32) and the count of values in the bins below: out (f64) = [bin, below] per rank.
 */
export function histRanks(hist: usize, rk: usize, nr: i32, out: usize): void {
  let cum: f64 = 0;
  let r = 0;
  let b = 0;
  while (r < nr && b < NBINS) {
    const want = load<f64>(rk + (<usize>r << 3));
    // skip 64 bins at a time while the rank lies beyond them
    if ((b & 63) == 0 && b + 64 <= NBINS) {
      let acc = i32x4.splat(0);
      const p = hist + (<usize>b << 2);
      for (let i = 0; i < 64; i += 4) acc = i32x4.add(acc, v128.load(p + (<usize>i << 2)));
      const blk = <f64>(<u32>i32x4.extract_lane(acc, 0)) + <f64>(<u32>i32x4.extract_lane(acc, 1)) + <f64>(<u32>i32x4.extract_lane(acc, 2)) + <f64>(<u32>i32x4.extract_lane(acc, 3));
      if (cum + blk <= want) {
        cum += blk;
        b += 64;
        continue;
      }
    }
    const c = <f64>load<u32>(hist + (<usize>b << 2));
    if (want < cum + c) {
      store<f64>(out + (<usize>r << 4), <f64>b);
      store<f64>(out + (<usize>r << 4), cum, 8);
      r++;
      continue;
    }
    cum += c;
    b++;
  }
}

/**
 * Pass 2 over row blocks [b0, b1) (block = blockRows rows of the box, h rows in all): with d = x - s
 * (f64), writes P + 24*block (f64) = [count, Σd, Σd²] of the used pixels whose key bin is in the
 * core [k0, k1]; copies every used value outside the core (when `rest` is set) to the rest cursor,
 * and those whose key bin is one of the T (<= 6) target bins to that bin's cursor. Layout of g:
 * i32 [6 target bins, k0, k1], then f32 [lo, hi] value bounds of the 6 target bins and of the core
 * (used as SIMD prefilters; empty = [inf, -inf]; the core must not split the bins of -0 and +0).
 * cur (u32 byte pointers, advanced) = [6 target cursors, rest cursor], cur + 32 = 32 bytes of scratch.
 */
export function statsCollect(
  img: usize, msk: usize, S: i32, x0: i32, y0: i32, w: i32, h: i32, blockRows: i32, b0: i32, b1: i32,
  andMask: i32, s: f32, g: usize, T: i32, cur: usize, rest: i32, P: usize,
): void {
  if (T <= 3) collectImpl(img, msk, S, x0, y0, w, h, blockRows, b0, b1, andMask, s, g, T, cur, rest, P, false);
  else collectImpl(img, msk, S, x0, y0, w, h, blockRows, b0, b1, andMask, s, g, T, cur, rest, P, true);
}

@inline function inF32(v: v128, lo: v128, hi: v128): v128 {
  return v128.and(f32x4.ge(v, lo), f32x4.le(v, hi));
}

@inline function collectImpl(
  img: usize, msk: usize, S: i32, x0: i32, y0: i32, w: i32, h: i32, blockRows: i32, b0: i32, b1: i32,
  andMask: i32, s: f32, g: usize, T: i32, cur: usize, rest: i32, P: usize, wide: bool,
): void {
  const am = i32x4.splat(andMask);
  const useMask = msk != 0 && andMask != 0;
  const s4 = f32x4.splat(s);
  const sd = f64x2.splat(<f64>s);
  const f = g + 32;
  const l0 = f32x4.splat(load<f32>(f)), h0 = f32x4.splat(load<f32>(f, 4));
  const l1 = f32x4.splat(load<f32>(f, 8)), h1 = f32x4.splat(load<f32>(f, 12));
  const l2 = f32x4.splat(load<f32>(f, 16)), h2 = f32x4.splat(load<f32>(f, 20));
  const l3 = f32x4.splat(load<f32>(f, 24)), h3 = f32x4.splat(load<f32>(f, 28));
  const l4 = f32x4.splat(load<f32>(f, 32)), h4 = f32x4.splat(load<f32>(f, 36));
  const l5 = f32x4.splat(load<f32>(f, 40)), h5 = f32x4.splat(load<f32>(f, 44));
  const cLo = f32x4.splat(load<f32>(f, 48)), cHi = f32x4.splat(load<f32>(f, 52));
  const bk0 = load<i32>(g, 24), bk1 = load<i32>(g, 28);
  const restOn = i32x4.splat(rest ? -1 : 0);
  const scr = cur + 32;
  for (let blk = b0; blk < b1; blk++) {
    const ya = blk * blockRows;
    const yb = ya + blockRows < h ? ya + blockRows : h;
    let k0 = ZERO4;
    let e0 = f64x2.splat(0), e1 = f64x2.splat(0), r0 = f64x2.splat(0), r1 = f64x2.splat(0);
    let kS = 0;
    let eS: f64 = 0, rS: f64 = 0;
    for (let y = ya; y < yb; y++) {
      const off = (<usize>(y0 + y) * <usize>S + <usize>x0) << 2;
      const row = img + off;
      const mrow = msk + off;
      let x = 0;
      for (; x + 4 <= w; x += 4) {
        const v = v128.load(row + (<usize>x << 2));
        let core = inF32(v, cLo, cHi);
        if (useMask) core = v128.andnot(core, i32x4.ne(v128.and(v128.load(mrow + (<usize>x << 2)), am), ZERO4));
        k0 = i32x4.sub(k0, core);
        const xk = v128.bitselect(v, s4, core);
        const lk = f64x2.sub(f64x2.promote_low_f32x4(xk), sd);
        const hk = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(xk, xk, 2, 3, 2, 3)), sd);
        e0 = f64x2.add(e0, lk);
        e1 = f64x2.add(e1, hk);
        r0 = f64x2.add(r0, f64x2.mul(lk, lk));
        r1 = f64x2.add(r1, f64x2.mul(hk, hk));
        let tgt = v128.or(inF32(v, l0, h0), v128.or(inF32(v, l1, h1), inF32(v, l2, h2)));
        if (wide) tgt = v128.or(tgt, v128.or(inF32(v, l3, h3), v128.or(inF32(v, l4, h4), inF32(v, l5, h5))));
        const out = v128.andnot(restOn, core);
        if (v128.any_true(v128.or(out, tgt))) {
          v128.store(scr, v);
          // rest: used lanes outside the core, appended in lane order
          let valid = f32x4.lt(f32x4.abs(v), INF4);
          if (useMask) valid = v128.andnot(valid, i32x4.ne(v128.and(v128.load(mrow + (<usize>x << 2)), am), ZERO4));
          let rm = i32x4.bitmask(v128.and(out, valid));
          if (rm) {
            let p = <usize>load<u32>(cur, 24);
            while (rm) {
              store<f32>(p, load<f32>(scr + (<usize>ctz(rm) << 2)));
              p += 4;
              rm &= rm - 1;
            }
            store<u32>(cur, <u32>p, 24);
          }
          // target bins: exact bin test (the float bounds are a prefilter)
          let tm = i32x4.bitmask(v128.and(tgt, valid));
          while (tm) {
            const xl = load<f32>(scr + (<usize>ctz(tm) << 2));
            putTarget(xl, keyBin(xl), g, T, cur);
            tm &= tm - 1;
          }
        }
      }
      for (; x < w; x++) {
        const v = load<f32>(row + (<usize>x << 2));
        if (!isFinite(v) || (useMask && (load<i32>(mrow + (<usize>x << 2)) & andMask))) continue;
        const bn = keyBin(v);
        if (<u32>(bn - bk0) <= <u32>(bk1 - bk0)) {
          const d = <f64>v - <f64>s;
          kS++;
          eS += d;
          rS += d * d;
        }
        put(v, bn, g, T, cur, bk0, bk1, rest);
      }
    }
    const pb = P + <usize>blk * 24;
    const ee = f64x2.add(e0, e1);
    const rr = f64x2.add(r0, r1);
    store<f64>(pb, <f64>(i32x4.extract_lane(k0, 0) + i32x4.extract_lane(k0, 1) + i32x4.extract_lane(k0, 2) + i32x4.extract_lane(k0, 3) + kS));
    store<f64>(pb, (f64x2.extract_lane(ee, 0) + f64x2.extract_lane(ee, 1)) + eS, 8);
    store<f64>(pb, (f64x2.extract_lane(rr, 0) + f64x2.extract_lane(rr, 1)) + rS, 16);
  }
}

/** Appends a used value to its target-bin cursor and, outside the core [bk0, bk1], the rest cursor. */
@inline function put(v: f32, bn: i32, g: usize, T: i32, cur: usize, bk0: i32, bk1: i32, rest: i32): void {
  putTarget(v, bn, g, T, cur);
  if (rest && <u32>(bn - bk0) > <u32>(bk1 - bk0)) {
    const p = <usize>load<u32>(cur + 24);
    store<f32>(p, v);
    store<u32>(cur + 24, <u32>(p + 4));
  }
}

/** Appends a value to the cursor of its target bin, if any. */
@inline function putTarget(v: f32, bn: i32, g: usize, T: i32, cur: usize): void {
  for (let j = 0; j < T; j++) {
    if (load<i32>(g + (<usize>j << 2)) == bn) {
      const pc = cur + (<usize>j << 2);
      const p = <usize>load<u32>(pc);
      store<f32>(p, v);
      store<u32>(pc, <u32>(p + 4));
      break;
    }
  }
}

/**
 * [count, Σd, Σd²] (f64 at out) of the n values at v (f32) with lo <= x <= hi, d = x - s, summed in
 * order (so the result does not depend on how the values were split between threads).
 */
export function tailSums(v: usize, n: i32, lo: f32, hi: f32, s: f32, out: usize): void {
  let c = 0;
  let d1: f64 = 0, d2: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = load<f32>(v + (<usize>i << 2));
    if (x >= lo && x <= hi) {
      const d = <f64>x - <f64>s;
      c++;
      d1 += d;
      d2 += d * d;
    }
  }
  store<f64>(out, <f64>c);
  store<f64>(out, d1, 8);
  store<f64>(out, d2, 16);
}

/**
 * One clip pass over row blocks [b0, b1): pixels with lo <= x <= hi (f32 bounds, so NaN and ±inf
 * never pass when the bounds are finite) and (mask & andMask) == 0; writes P + 24*block as f64
 * [count, Σd, Σd²] with d = x - s.
 */
export function statsClip(
  img: usize, msk: usize, S: i32, x0: i32, y0: i32, w: i32, h: i32, blockRows: i32, b0: i32, b1: i32,
  andMask: i32, lo: f32, hi: f32, s: f32, P: usize,
): void {
  const am = i32x4.splat(andMask);
  const useMask = msk != 0 && andMask != 0;
  const lo4 = f32x4.splat(lo);
  const hi4 = f32x4.splat(hi);
  const s4 = f32x4.splat(s);
  const sd = f64x2.splat(<f64>s);
  for (let blk = b0; blk < b1; blk++) {
    const ya = blk * blockRows;
    const yb = ya + blockRows < h ? ya + blockRows : h;
    let c0 = ZERO4, c1 = ZERO4;
    let d0 = f64x2.splat(0), d1 = f64x2.splat(0), d2 = f64x2.splat(0), d3 = f64x2.splat(0);
    let q0 = f64x2.splat(0), q1 = f64x2.splat(0), q2 = f64x2.splat(0), q3 = f64x2.splat(0);
    let cS = 0;
    let sdS: f64 = 0, sqS: f64 = 0;
    for (let y = ya; y < yb; y++) {
      const off = (<usize>(y0 + y) * <usize>S + <usize>x0) << 2;
      const row = img + off;
      const mrow = msk + off;
      let x = 0;
      for (; x + 8 <= w; x += 8) {
        const va = v128.load(row + (<usize>x << 2));
        const vb = v128.load(row + (<usize>x << 2), 16);
        let ka = v128.and(f32x4.ge(va, lo4), f32x4.le(va, hi4));
        let kb = v128.and(f32x4.ge(vb, lo4), f32x4.le(vb, hi4));
        if (useMask) {
          ka = v128.andnot(ka, i32x4.ne(v128.and(v128.load(mrow + (<usize>x << 2)), am), ZERO4));
          kb = v128.andnot(kb, i32x4.ne(v128.and(v128.load(mrow + (<usize>x << 2), 16), am), ZERO4));
        }
        c0 = i32x4.sub(c0, ka);
        c1 = i32x4.sub(c1, kb);
        const xa = v128.bitselect(va, s4, ka);
        const xb = v128.bitselect(vb, s4, kb);
        const e0 = f64x2.sub(f64x2.promote_low_f32x4(xa), sd);
        const e1 = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(xa, xa, 2, 3, 2, 3)), sd);
        const e2 = f64x2.sub(f64x2.promote_low_f32x4(xb), sd);
        const e3 = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(xb, xb, 2, 3, 2, 3)), sd);
        d0 = f64x2.add(d0, e0);
        d1 = f64x2.add(d1, e1);
        d2 = f64x2.add(d2, e2);
        d3 = f64x2.add(d3, e3);
        q0 = f64x2.add(q0, f64x2.mul(e0, e0));
        q1 = f64x2.add(q1, f64x2.mul(e1, e1));
        q2 = f64x2.add(q2, f64x2.mul(e2, e2));
        q3 = f64x2.add(q3, f64x2.mul(e3, e3));
      }
      for (; x < w; x++) {
        const v = load<f32>(row + (<usize>x << 2));
        if (!(v >= lo && v <= hi)) continue;
        if (useMask && (load<i32>(mrow + (<usize>x << 2)) & andMask)) continue;
        const d = <f64>v - <f64>s;
        cS++;
        sdS += d;
        sqS += d * d;
      }
    }
    const cc = i32x4.add(c0, c1);
    const dd = f64x2.add(f64x2.add(d0, d1), f64x2.add(d2, d3));
    const qq = f64x2.add(f64x2.add(q0, q1), f64x2.add(q2, q3));
    const pb = P + <usize>blk * 24;
    store<f64>(pb, <f64>(i32x4.extract_lane(cc, 0) + i32x4.extract_lane(cc, 1) + i32x4.extract_lane(cc, 2) + i32x4.extract_lane(cc, 3) + cS));
    store<f64>(pb, (f64x2.extract_lane(dd, 0) + f64x2.extract_lane(dd, 1)) + sdS, 8);
    store<f64>(pb, (f64x2.extract_lane(qq, 0) + f64x2.extract_lane(qq, 1)) + sqS, 16);
  }
}

/** Σ of the u32 histogram bins [b0, b1] at h (0 when b0 > b1). */
export function histRange(h: usize, b0: i32, b1: i32): f64 {
  let s: u64 = 0;
  for (let b = b0; b <= b1; b++) s += <u64>load<u32>(h + (<usize>b << 2));
  return <f64>s;
}
