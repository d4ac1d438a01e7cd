// AssemblyScript kernels of the `wasm` backend (compiled by `npm run build:wasm`).
// Pointer API: every buffer lives in the imported (shared) memory, owned by the JS arena; nothing
// here allocates, so one instance per worker can run on the same memory. Row-range functions
// (y0..y1) are what the worker pool splits; each output pixel is computed the same way whatever the
// split, so results are bit-identical across thread counts.

// ---------------------------------------------------------------- convolution
// Separable convolution: asm/conv.ts (convSep, orSep, ringBytes).

/** General 2-D correlation for rows [y0, y1) of the good region (offsets already applied by the caller). */
export function conv2dRows(src: usize, S: i32, dst: usize, DS: i32, k: usize, kw: i32, kh: i32, gw: i32, y0: i32, y1: i32): void {
  for (let y = y0; y < y1; y++) {
    const drow = dst + ((<usize>y * <usize>DS) << 2);
    let x = 0;
    for (; x + 4 <= gw; x += 4) {
      let a = f32x4.splat(0);
      for (let j = 0; j < kh; j++) {
        const srow = src + ((<usize>(y + j) * <usize>S + <usize>x) << 2);
        const krow = k + ((<usize>j * <usize>kw) << 2);
        for (let i = 0; i < kw; i++) a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(krow + (<usize>i << 2))), v128.load(srow + (<usize>i << 2))));
      }
      v128.store(drow + (<usize>x << 2), a);
    }
    for (; x < gw; x++) {
      let s: f32 = 0;
      for (let j = 0; j < kh; j++) {
        const srow = src + ((<usize>(y + j) * <usize>S + <usize>x) << 2);
        const krow = k + ((<usize>j * <usize>kw) << 2);
        for (let i = 0; i < kw; i++) s = s + load<f32>(krow + (<usize>i << 2)) * load<f32>(srow + (<usize>i << 2));
      }
      store<f32>(drow + (<usize>x << 2), s);
    }
  }
}

/** 2-D mask smear (OR over taps with non-zero weight) + NO_DATA where the image is NaN. */
export function or2dRows(m: usize, S: i32, dst: usize, img: usize, DS: i32, nz: usize, kw: i32, kh: i32, gw: i32, y0: i32, y1: i32, noData: i32): void {
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < gw; x++) {
      let a: i32 = 0;
      for (let j = 0; j < kh; j++) {
        const srow = m + ((<usize>(y + j) * <usize>S + <usize>x) << 2);
        const krow = nz + ((<usize>j * <usize>kw) << 2);
        for (let i = 0; i < kw; i++) a |= load<i32>(krow + (<usize>i << 2)) & load<i32>(srow + (<usize>i << 2));
      }
      const o = (<usize>y * <usize>DS + <usize>x) << 2;
      const v = load<f32>(img + o);
      if (v != v) a |= noData;
      store<i32>(dst + o, a);
    }
  }
}

// ---------------------------------------------------------------- resampling
// Parameters are passed through a small f64 block (see resample.ts on the JS side).
const SAMPLES: f32 = 1024;
const LANES0: v128 = i32x4(0, 1, 2, 3);
const LANES1: v128 = i32x4(4, 5, 6, 7);


/**
 * Per-axis weights into w (f32, up to 12 lanes); returns first * 64 + count, or -1 when a used tap
 * is outside [0, n). kernel 0 nearest, 1 bilinear, N >= 3 Lanczos-N from the phase table t
 * (rows of 8 lanes for N <= 4, 12 for N = 5; see lanczosPhaseTable on the JS side).
 */
@inline function axis(kernel: i32, s: f64, n: i32, t: usize, w: usize): i64 {
  if (kernel == 0) {
    const i = <i32>Math.floor(s + 0.5);
    store<f32>(w, 1);
    if (i < 0 || i >= n) return -1;
    return <i64>i * 64 + 1;
  }
  const base = <i32>Math.floor(s);
  const f = <f32>(s - <f64>base);
  if (kernel == 1) {
    store<f32>(w, 1 - f);
    store<f32>(w, f, 4);
    const count = f == 0 ? 1 : 2;
    if (base < 0 || base + count > n) return -1;
    return <i64>base * 64 + <i64>count;
  }
  if (f == 0) {
    store<f32>(w, 1);
    if (base < 0 || base >= n) return -1;
    return <i64>base * 64 + 1;
  }
  const L = kernel <= 4 ? 8 : 12;
  const u = f * SAMPLES;
  let i = <i32>u;
  if (i > 1023) i = 1023;
  const tt = f32x4.splat(u - <f32>i);
  const r0 = t + ((<usize>i * <usize>L) << 2);
  const r1 = r0 + (<usize>L << 2);
  for (let q = 0; q < L; q += 4) {
    const a = v128.load(r0 + (<usize>q << 2));
    const b = v128.load(r1 + (<usize>q << 2));
    v128.store(w + (<usize>q << 2), f32x4.add(a, f32x4.mul(tt, f32x4.sub(b, a))));
  }
  const first = base - kernel + 1;
  if (first < 0 || first + 2 * kernel > n) return -1;
  return <i64>first * 64 + <i64>(2 * kernel);
}

/**
 * Resample rows [y0, y1) of the destination. P (f64 block): [a, b, c, d, e, f, area] for affine
 * grids (mode 0); for mode 1 the source coordinates come from gx/gy (f64, gridW per row) and the
 * area from central differences. kernel: 0 nearest, 1 bilinear, N Lanczos-N (table t).
 * Scratch: 4 blocks of 16 f32 at `scr`.
 */
export function resampleRows(
  src: usize, msk: usize, vr: usize, W: i32, H: i32, S: i32,
  dst: usize, dmsk: usize, dvr: usize, DS: i32, DW: i32, DH: i32,
  y0: i32, y1: i32, mode: i32, P: usize, gx: usize, gy: usize,
  kernel: i32, t: usize, conserve: i32, scr: usize, noData: i32, edgeBit: i32,
): void {
  const wx = scr;
  const wy = scr + 64;
  const bx = scr + 128;
  const by = scr + 192;
  const a = load<f64>(P), b = load<f64>(P, 8), c = load<f64>(P, 16), d = load<f64>(P, 24), e = load<f64>(P, 32), f = load<f64>(P, 40);
  const affArea = load<f64>(P, 48);
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < DW; x++) {
      let sx: f64, sy: f64;
      const gi = <usize>y * <usize>DW + <usize>x;
      if (mode == 0) {
        sx = a * <f64>x + b * <f64>y + c;
        sy = d * <f64>x + e * <f64>y + f;
      } else {
        sx = load<f64>(gx + (gi << 3));
        sy = load<f64>(gy + (gi << 3));
      }
      const o = (<usize>y * <usize>DS + <usize>x) << 2;
      let rx: i64 = -1, ry: i64 = -1;
      if (isFinite(sx) && isFinite(sy)) {
        rx = axis(kernel, sx, W, t, wx);
        if (rx >= 0) ry = axis(kernel, sy, H, t, wy);
      }
      if (rx < 0 || ry < 0) {
        store<f32>(dst + o, NaN);
        if (dvr) store<f32>(dvr + o, Infinity);
        if (dmsk) store<i32>(dmsk + o, noData);
        continue;
      }
      const fx = <i32>(rx >> 6), nx = <i32>(rx & 63), fy = <i32>(ry >> 6), ny = <i32>(ry & 63);
      let s: f32 = 0, v: f32 = 0;
      let edge: i32 = 0;
      if (nx <= 8 && fx + 8 <= S && fx + 8 <= W) {
        // SIMD: 8 lanes per source row, lanes >= nx zeroed before use (never read as data).
        const lm0 = i32x4.lt_s(LANES0, i32x4.splat(nx));
        const lm1 = i32x4.lt_s(LANES1, i32x4.splat(nx));
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
        for (let j = 0; j < ny; j++) {
          const row = (<usize>(fy + j) * <usize>S + <usize>fx) << 2;
          const wj = f32x4.splat(load<f32>(wy + (<usize>j << 2)));
          a0 = f32x4.add(a0, f32x4.mul(wj, v128.and(v128.load(src + row), lm0)));
          a1 = f32x4.add(a1, f32x4.mul(wj, v128.and(v128.load(src + row, 16), lm1)));
          if (vr) {
            const wj2 = f32x4.mul(wj, wj);
            b0 = f32x4.add(b0, f32x4.mul(wj2, v128.and(v128.load(vr + row), lm0)));
            b1 = f32x4.add(b1, f32x4.mul(wj2, v128.and(v128.load(vr + row, 16), lm1)));
          }
          if (msk) for (let i = 0; i < nx; i++) edge |= load<i32>(msk + row + (<usize>i << 2)) & edgeBit;
        }
        const w0 = v128.and(v128.load(wx), lm0);
        const w1 = v128.and(v128.load(wx, 16), lm1);
        const d = f32x4.add(f32x4.mul(a0, w0), f32x4.mul(a1, w1));
        s = (f32x4.extract_lane(d, 0) + f32x4.extract_lane(d, 1)) + (f32x4.extract_lane(d, 2) + f32x4.extract_lane(d, 3));
        if (vr) {
          const e = f32x4.add(f32x4.mul(b0, f32x4.mul(w0, w0)), f32x4.mul(b1, f32x4.mul(w1, w1)));
          v = (f32x4.extract_lane(e, 0) + f32x4.extract_lane(e, 1)) + (f32x4.extract_lane(e, 2) + f32x4.extract_lane(e, 3));
        }
      } else {
        for (let j = 0; j < ny; j++) {
          const row = (<usize>(fy + j) * <usize>S + <usize>fx) << 2;
          let rs: f32 = 0;
          for (let i = 0; i < nx; i++) rs += load<f32>(wx + (<usize>i << 2)) * load<f32>(src + row + (<usize>i << 2));
          const wj = load<f32>(wy + (<usize>j << 2));
          s += wj * rs;
          if (vr) {
            let rv: f32 = 0;
            for (let i = 0; i < nx; i++) {
              const wi = load<f32>(wx + (<usize>i << 2));
              rv += wi * wi * load<f32>(vr + row + (<usize>i << 2));
            }
            v += wj * wj * rv;
          }
          if (msk) for (let i = 0; i < nx; i++) edge |= load<i32>(msk + row + (<usize>i << 2)) & edgeBit;
        }
      }
      let area: f64 = 1;
      if (conserve) {
        if (mode == 0) area = affArea;
        else {
          const xl = x > 0 ? x - 1 : 0, xr = x < DW - 1 ? x + 1 : DW - 1;
          const yl = y > 0 ? y - 1 : 0, yr = y < DH - 1 ? y + 1 : DH - 1;
          const dxs: f64 = xr - xl || 1, dys: f64 = yr - yl || 1;
          const il = (<usize>y * <usize>DW + <usize>xl) << 3, ir = (<usize>y * <usize>DW + <usize>xr) << 3;
          const jl = (<usize>yl * <usize>DW + <usize>x) << 3, jr = (<usize>yr * <usize>DW + <usize>x) << 3;
          const aa = (load<f64>(gx + ir) - load<f64>(gx + il)) / dxs;
          const dd = (load<f64>(gy + ir) - load<f64>(gy + il)) / dxs;
          const bb = (load<f64>(gx + jr) - load<f64>(gx + jl)) / dys;
          const ee = (load<f64>(gy + jr) - load<f64>(gy + jl)) / dys;
          area = Math.abs(aa * ee - bb * dd);
        }
      }
      const val = <f32>(<f64>s * area);
      store<f32>(dst + o, val);
      if (dvr) store<f32>(dvr + o, vr ? <f32>(<f64>v * area * area) : 0);
      if (dmsk) {
        let bits = edge;
        if (msk) {
          const r2x = axis(1, sx, W, t, bx);
          const r2y = axis(1, sy, H, t, by);
          const bfx = r2x >= 0 ? <i32>(r2x >> 6) : <i32>Math.floor(sx);
          const bnx = r2x >= 0 ? <i32>(r2x & 63) : 2;
          const bfy = r2y >= 0 ? <i32>(r2y >> 6) : <i32>Math.floor(sy);
          const bny = r2y >= 0 ? <i32>(r2y & 63) : 2;
          for (let j = 0; j < bny; j++) {
            const yy = bfy + j;
            if (yy < 0 || yy >= H) continue;
            for (let i = 0; i < bnx; i++) {
              const xx = bfx + i;
              if (xx >= 0 && xx < W) bits |= load<i32>(msk + ((<usize>yy * <usize>S + <usize>xx) << 2)) & ~edgeBit;
            }
          }
        }
        if (val != val) bits |= noData;
        store<i32>(dmsk + o, bits);
      }
    }
  }
}

// ---------------------------------------------------------------- statistics
// R (f64 block): [n, nMasked, nNonFinite, orMask, min, max, sum]

/** Gathers usable values (and weights) of a box or an index list into vals (f32) / wv (f64). Returns n. */
export function gather(img: usize, msk: usize, wts: usize, S: i32, x0: i32, y0: i32, w: i32, h: i32, idx: usize, nidx: i32, andMask: i32, nanSafe: i32, vals: usize, wv: usize, R: usize): i32 {
  let n = 0, nMasked = 0, nNon = 0, orMask = 0;
  let mn: f64 = Infinity, mx: f64 = -Infinity, sum: f64 = 0;
  const total = idx ? nidx : w * h;
  for (let k = 0; k < total; k++) {
    let i: usize;
    if (idx) i = <usize>load<i32>(idx + (<usize>k << 2));
    else i = <usize>(y0 + k / w) * <usize>S + <usize>(x0 + k % w);
    const m = msk ? load<i32>(msk + (i << 2)) : 0;
    if (m & andMask) {
      nMasked++;
      continue;
    }
    const v = load<f32>(img + (i << 2));
    if (nanSafe && !isFinite(v)) {
      nNon++;
      continue;
    }
    store<f32>(vals + (<usize>n << 2), v);
    if (wts) store<f64>(wv + (<usize>n << 3), <f64>load<f32>(wts + (i << 2)));
    n++;
    orMask |= m;
    const dv = <f64>v;
    sum += dv;
    if (dv < mn) mn = dv;
    if (dv > mx) mx = dv;
  }
  store<f64>(R, n);
  store<f64>(R, nMasked, 8);
  store<f64>(R, nNon, 16);
  store<f64>(R, orMask, 24);
  store<f64>(R, mn, 32);
  store<f64>(R, mx, 40);
  store<f64>(R, sum, 48);
  return n;
}

/** Fast gather of a full-width box with no mask and no weights (SIMD finite test). */
export function gatherPlain(img: usize, S: i32, x0: i32, y0: i32, w: i32, h: i32, vals: usize): i32 {
  let n = 0;
  for (let y = 0; y < h; y++) {
    const row = img + ((<usize>(y0 + y) * <usize>S + <usize>x0) << 2);
    for (let x = 0; x < w; x++) {
      const v = load<f32>(row + (<usize>x << 2));
      store<f32>(vals + (<usize>n << 2), v);
      n += <i32>(v - v == 0);
    }
  }
  return n;
}

/**
 * Weighted mean and unbiased variance of vals[0..n) keeping |x - c| <= hw. Writes M (f64):
 * [mean, variance, kept, sw, sw2]. wv = 0 for unit weights.
 */
export function meanVar(vals: usize, wv: usize, n: i32, c: f64, hw: f64, M: usize): void {
  let sw: f64 = 0, swx: f64 = 0, sw2: f64 = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(vals + (<usize>i << 2));
    if (!(Math.abs(x - c) <= hw)) continue;
    const w = wv ? load<f64>(wv + (<usize>i << 3)) : 1.0;
    sw += w;
    swx += w * x;
    sw2 += w * w;
    kept++;
  }
  const mean = kept > 0 ? swx / sw : NaN;
  let ss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(vals + (<usize>i << 2));
    if (!(Math.abs(x - c) <= hw)) continue;
    const w = wv ? load<f64>(wv + (<usize>i << 3)) : 1.0;
    ss += w * (x - mean) * (x - mean);
  }
  const den = sw * sw - sw2;
  store<f64>(M, mean);
  store<f64>(M, kept > 1 && den > 0 ? (ss / sw) * ((sw * sw) / den) : NaN, 8);
  store<f64>(M, kept, 16);
  store<f64>(M, sw, 24);
  store<f64>(M, sw2, 32);
}

@inline function sw32(a: usize, i: i32, j: i32): void {
  const pi = a + (<usize>i << 2), pj = a + (<usize>j << 2);
  const t = load<f32>(pi);
  store<f32>(pi, load<f32>(pj));
  store<f32>(pj, t);
}

/** nth_element on f32 vals[lo..hi): afterwards vals[k] is the k-th smallest, smaller ones before, larger after. */
export function select(v: usize, lo: i32, hi: i32, k: i32): f32 {
  let l = lo, r = hi - 1;
  while (r > l) {
    // median of three pivot
    const m = l + ((r - l) >> 1);
    if (load<f32>(v + (<usize>m << 2)) < load<f32>(v + (<usize>l << 2))) sw32(v, m, l);
    if (load<f32>(v + (<usize>r << 2)) < load<f32>(v + (<usize>l << 2))) sw32(v, r, l);
    if (load<f32>(v + (<usize>r << 2)) < load<f32>(v + (<usize>m << 2))) sw32(v, r, m);
    const pivot = load<f32>(v + (<usize>m << 2));
    let i = l, j = r;
    while (i <= j) {
      while (load<f32>(v + (<usize>i << 2)) < pivot) i++;
      while (load<f32>(v + (<usize>j << 2)) > pivot) j--;
      if (i <= j) {
        sw32(v, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return load<f32>(v + (<usize>k << 2));
}

/** Smallest of vals[lo..hi). */
export function minOf(v: usize, lo: i32, hi: i32): f32 {
  let m: f32 = Infinity;
  for (let i = lo; i < hi; i++) {
    const x = load<f32>(v + (<usize>i << 2));
    if (x < m) m = x;
  }
  return m;
}

// ---------------------------------------------------------------- stacking
// stackRows: asm/stack.ts.

// ---------------------------------------------------------------- detection
/**
 * Row runs of pixels with sign*v >= t and (mask & andMask) == 0, rows [y0, y1), as (y, x0, x1)
 * i32 triples into out (capacity cap triples). Returns the number of runs, or -1 on overflow.
 */
export function thresholdRuns(img: usize, msk: usize, W: i32, S: i32, y0: i32, y1: i32, t: f32, sign: f32, andMask: i32, out: usize, cap: i32): i32 {
  let n = 0;
  const tv = f32x4.splat(t);
  const sv = f32x4.splat(sign);
  for (let y = y0; y < y1; y++) {
    const row = img + ((<usize>y * <usize>S) << 2);
    const mrow = msk + ((<usize>y * <usize>S) << 2);
    let x0 = -1;
    let x = 0;
    while (x < W) {
      if (x0 < 0 && x + 4 <= W) {
        // skip 4 pixels at once while none passes
        const hit = f32x4.ge(f32x4.mul(v128.load(row + (<usize>x << 2)), sv), tv);
        if (!v128.any_true(hit)) {
          x += 4;
          continue;
        }
      }
      const v = load<f32>(row + (<usize>x << 2)) * sign;
      const pass = v >= t && (msk == 0 || (load<i32>(mrow + (<usize>x << 2)) & andMask) == 0);
      if (pass && x0 < 0) x0 = x;
      else if (!pass && x0 >= 0) {
        if (n >= cap) return -1;
        const p = out + (<usize>n * 12);
        store<i32>(p, y);
        store<i32>(p, x0, 4);
        store<i32>(p, x - 1, 8);
        n++;
        x0 = -1;
      }
      x++;
    }
    if (x0 >= 0) {
      if (n >= cap) return -1;
      const p = out + (<usize>n * 12);
      store<i32>(p, y);
      store<i32>(p, x0, 4);
      store<i32>(p, W - 1, 8);
      n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------- elementwise
/** out = a * c (and variance * c²) over rows [y0, y1). */
export function scaleRows(a: usize, va: usize, S: i32, o: usize, vo: usize, OS: i32, W: i32, c: f32, y0: i32, y1: i32): void {
  const cv = f32x4.splat(c);
  const c2 = f32x4.splat(c * c);
  for (let y = y0; y < y1; y++) {
    const ar = a + ((<usize>y * <usize>S) << 2);
    const or = o + ((<usize>y * <usize>OS) << 2);
    let x = 0;
    for (; x + 4 <= W; x += 4) v128.store(or + (<usize>x << 2), f32x4.mul(v128.load(ar + (<usize>x << 2)), cv));
    for (; x < W; x++) store<f32>(or + (<usize>x << 2), load<f32>(ar + (<usize>x << 2)) * c);
    if (va && vo) {
      const vr = va + ((<usize>y * <usize>S) << 2);
      const wr = vo + ((<usize>y * <usize>OS) << 2);
      x = 0;
      for (; x + 4 <= W; x += 4) v128.store(wr + (<usize>x << 2), f32x4.mul(v128.load(vr + (<usize>x << 2)), c2));
      for (; x < W; x++) store<f32>(wr + (<usize>x << 2), load<f32>(vr + (<usize>x << 2)) * (c * c));
    }
  }
}

/** thresholdRuns that stores its result (run count or -1) at `cnt` (for workers, which cannot return values). */
export function thresholdRunsTo(img: usize, msk: usize, W: i32, S: i32, y0: i32, y1: i32, t: f32, sign: f32, andMask: i32, out: usize, cap: i32, cnt: usize): void {
  store<i32>(cnt, thresholdRuns(img, msk, W, S, y0, y1, t, sign, andMask, out, cap));
}

// ---------------------------------------------------------------- exact quantiles by histogram
/** Counts finite vals[0..n) into nb bins: bin = clamp((x - mn) * scale, 0, nb-1) (u32 counts at h). */
export function histo(v: usize, n: i32, mn: f64, scale: f64, nb: i32, h: usize): void {
  memory.fill(h, 0, <usize>nb << 2);
  for (let i = 0; i < n; i++) {
    const u = (<f64>load<f32>(v + (<usize>i << 2)) - mn) * scale;
    const b = u < 0 ? 0 : u >= <f64>nb ? nb - 1 : <i32>u;
    const p = h + (<usize>b << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
}

/** Copies the values whose bin has lut[bin] = t > 0 to dst at the cursor offs[t-1] (advanced). */
export function collect(v: usize, n: i32, mn: f64, scale: f64, nb: i32, lut: usize, offs: usize, dst: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f32>(v + (<usize>i << 2));
    const u = (<f64>x - mn) * scale;
    const b = u < 0 ? 0 : u >= <f64>nb ? nb - 1 : <i32>u;
    const t = <i32>load<u8>(lut + <usize>b);
    if (t) {
      const po = offs + (<usize>(t - 1) << 2);
      const o = load<i32>(po);
      store<f32>(dst + (<usize>o << 2), x);
      store<i32>(po, o + 1);
    }
  }
}
export * from "./conv";
export * from "./rice";
export * from "./stats";
export * from "./stack";
