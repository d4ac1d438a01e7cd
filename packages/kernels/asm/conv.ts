// Separable convolution kernels of the `wasm` backend (re-exported by asm/index.ts).
//
// convSep / orSep fuse the two passes: the horizontal pass of each input row goes into a ring
// buffer of `klen + 1` rows (scratch `ring`, one per worker: see ringBytes), and the vertical pass
// reads the ring, so the full-size intermediate image is never written or read back. A worker doing
// output rows [y0, y1) recomputes the horizontal pass of the `klen - 1` halo rows it shares with its
// neighbours; every output pixel is computed by the same instructions whatever the row split, so
// results are bit-identical across thread counts.
//
// Symmetric kernels (odd length, k[i] == k[klen-1-i], checked by the caller) use the mirrored-pair
// form k[c]*s[c] + Σ k[i] * (s[i] + s[klen-1-i]), which halves the multiplies; the order of the sums
// is fixed (centre tap first, then pairs from the outside in) and the same on every SIMD width and
// the scalar tails. The vertical pass then makes two output rows per step (colSym2), loading each
// ring row once for both. The mask smear with every tap non-zero (the usual case) ORs without the
// tap masks and also shares the klen - 1 common rows between two output rows.
//
// Measured (4096x2048, sigma 2 radius 7, one thread, this machine): 25.9 ms for the former two
// full-image passes -> 14.8 ms fused (row pass ~7 ms, vertical ~8 ms, both bound by f32x4.add).
// Tried and slower: column strips of 128-2048 px (TLB/stride misses), unrolling the tap loop by
// two, 8 px instead of 16 px per row-pass step.

/**
 * Bytes of one ring row for `gw` output columns: a whole number of 64-byte lines, and an odd one,
 * so that the `klen` tap rows read together fall in different L1 sets (a 16 KiB row stride put
 * them all in one set and ran the fused pass at half speed).
 */
@inline function ringRow(gw: i32): usize {
  const b = ((<usize>gw << 2) + 63) & ~(<usize>63);
  return (b & 64) != 0 ? b : b + 64;
}

/** Scratch bytes convSep / orSep need at `ring` for `gw` columns and a `kly`-tap vertical kernel. */
export function ringBytes(gw: i32, kly: i32): i32 {
  return <i32>(<usize>(kly + 1) * ringRow(gw) + ((<usize>(kly + 1) << 2) + 63 & ~(<usize>63)));
}

// ---------------------------------------------------------------- horizontal, one row
/** d[x] = Σ_i k[i] * s[x + i], x in [0, gw); sym: mirrored-pair form (k symmetric). */
@inline function rowPass(s: usize, d: usize, k: usize, klen: i32, gw: i32, sym: bool): void {
  if (sym) rowSym(s, d, k, klen, gw);
  else rowGen(s, d, k, klen, gw);
}

function rowSym(s: usize, d: usize, k: usize, klen: i32, gw: i32): void {
  const half = klen >> 1;
  const cOff = <usize>half << 2;
  const last = <usize>(klen - 1) << 2;
  const kc = v128.load32_splat(k + cOff);
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    const q = s + (<usize>x << 2);
    let a0 = f32x4.mul(kc, v128.load(q + cOff));
    let a1 = f32x4.mul(kc, v128.load(q + cOff, 16));
    let a2 = f32x4.mul(kc, v128.load(q + cOff, 32));
    let a3 = f32x4.mul(kc, v128.load(q + cOff, 48));
    let lo = q;
    let hi = q + last;
    let kk = k;
    for (let i = 0; i < half; i++) {
      const kv = v128.load32_splat(kk);
      a0 = f32x4.add(a0, f32x4.mul(kv, f32x4.add(v128.load(lo), v128.load(hi))));
      a1 = f32x4.add(a1, f32x4.mul(kv, f32x4.add(v128.load(lo, 16), v128.load(hi, 16))));
      a2 = f32x4.add(a2, f32x4.mul(kv, f32x4.add(v128.load(lo, 32), v128.load(hi, 32))));
      a3 = f32x4.add(a3, f32x4.mul(kv, f32x4.add(v128.load(lo, 48), v128.load(hi, 48))));
      lo += 4;
      hi -= 4;
      kk += 4;
    }
    const o = d + (<usize>x << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; x + 4 <= gw; x += 4) {
    const q = s + (<usize>x << 2);
    let a0 = f32x4.mul(kc, v128.load(q + cOff));
    let lo = q;
    let hi = q + last;
    let kk = k;
    for (let i = 0; i < half; i++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(kk), f32x4.add(v128.load(lo), v128.load(hi))));
      lo += 4;
      hi -= 4;
      kk += 4;
    }
    v128.store(d + (<usize>x << 2), a0);
  }
  const kcs = load<f32>(k + cOff);
  for (; x < gw; x++) {
    const q = s + (<usize>x << 2);
    let a: f32 = kcs * load<f32>(q + cOff);
    let lo = q;
    let hi = q + last;
    let kk = k;
    for (let i = 0; i < half; i++) {
      a = a + load<f32>(kk) * (load<f32>(lo) + load<f32>(hi));
      lo += 4;
      hi -= 4;
      kk += 4;
    }
    store<f32>(d + (<usize>x << 2), a);
  }
}

function rowGen(s: usize, d: usize, k: usize, klen: i32, gw: i32): void {
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    const q = s + (<usize>x << 2);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let p = q;
    let kk = k;
    for (let i = 0; i < klen; i++) {
      const kv = v128.load32_splat(kk);
      a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(p, 16)));
      a2 = f32x4.add(a2, f32x4.mul(kv, v128.load(p, 32)));
      a3 = f32x4.add(a3, f32x4.mul(kv, v128.load(p, 48)));
      p += 4;
      kk += 4;
    }
    const o = d + (<usize>x << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; x + 4 <= gw; x += 4) {
    let a0 = f32x4.splat(0);
    let p = s + (<usize>x << 2);
    let kk = k;
    for (let i = 0; i < klen; i++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(kk), v128.load(p)));
      p += 4;
      kk += 4;
    }
    v128.store(d + (<usize>x << 2), a0);
  }
  for (; x < gw; x++) {
    let a: f32 = 0;
    let p = s + (<usize>x << 2);
    let kk = k;
    for (let i = 0; i < klen; i++) {
      a = a + load<f32>(kk) * load<f32>(p);
      p += 4;
      kk += 4;
    }
    store<f32>(d + (<usize>x << 2), a);
  }
}

// ---------------------------------------------------------------- vertical, one row
// tab: klen row pointers (u32) into the ring, tab[j] = tap row j.

function colSym(tab: usize, d: usize, k: usize, klen: i32, gw: i32, off: usize): void {
  const half = klen >> 1;
  const cOff = <usize>half << 2;
  const last = <usize>(klen - 1) << 2;
  const kc = v128.load32_splat(k + cOff);
  const cRow = <usize>load<u32>(tab + cOff) + off;
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    const xo = <usize>x << 2;
    const c = cRow + xo;
    let a0 = f32x4.mul(kc, v128.load(c));
    let a1 = f32x4.mul(kc, v128.load(c, 16));
    let a2 = f32x4.mul(kc, v128.load(c, 32));
    let a3 = f32x4.mul(kc, v128.load(c, 48));
    let tl = tab;
    let th = tab + last;
    let kk = k;
    const xoo = xo + off;
    for (let j = 0; j < half; j++) {
      const kv = v128.load32_splat(kk);
      const lo = <usize>load<u32>(tl) + xoo;
      const hi = <usize>load<u32>(th) + xoo;
      a0 = f32x4.add(a0, f32x4.mul(kv, f32x4.add(v128.load(lo), v128.load(hi))));
      a1 = f32x4.add(a1, f32x4.mul(kv, f32x4.add(v128.load(lo, 16), v128.load(hi, 16))));
      a2 = f32x4.add(a2, f32x4.mul(kv, f32x4.add(v128.load(lo, 32), v128.load(hi, 32))));
      a3 = f32x4.add(a3, f32x4.mul(kv, f32x4.add(v128.load(lo, 48), v128.load(hi, 48))));
      tl += 4;
      th -= 4;
      kk += 4;
    }
    const o = d + xo;
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; x + 4 <= gw; x += 4) {
    const xo = <usize>x << 2;
    const xoo = xo + off;
    let a0 = f32x4.mul(kc, v128.load(cRow + xo));
    let tl = tab;
    let th = tab + last;
    let kk = k;
    for (let j = 0; j < half; j++) {
      const lo = <usize>load<u32>(tl) + xoo;
      const hi = <usize>load<u32>(th) + xoo;
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(kk), f32x4.add(v128.load(lo), v128.load(hi))));
      tl += 4;
      th -= 4;
      kk += 4;
    }
    v128.store(d + xo, a0);
  }
  const kcs = load<f32>(k + cOff);
  for (; x < gw; x++) {
    const xo = <usize>x << 2;
    const xoo = xo + off;
    let a: f32 = kcs * load<f32>(cRow + xo);
    let tl = tab;
    let th = tab + last;
    let kk = k;
    for (let j = 0; j < half; j++) {
      a = a + load<f32>(kk) * (load<f32>(<usize>load<u32>(tl) + xoo) + load<f32>(<usize>load<u32>(th) + xoo));
      tl += 4;
      th -= 4;
      kk += 4;
    }
    store<f32>(d + xo, a);
  }
}

function colGen(tab: usize, d: usize, k: usize, klen: i32, gw: i32): void {
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    const xo = <usize>x << 2;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let t = tab;
    let kk = k;
    for (let j = 0; j < klen; j++) {
      const kv = v128.load32_splat(kk);
      const p = <usize>load<u32>(t) + xo;
      a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(p)));
      a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(p, 16)));
      a2 = f32x4.add(a2, f32x4.mul(kv, v128.load(p, 32)));
      a3 = f32x4.add(a3, f32x4.mul(kv, v128.load(p, 48)));
      t += 4;
      kk += 4;
    }
    const o = d + xo;
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; x + 4 <= gw; x += 4) {
    const xo = <usize>x << 2;
    let a0 = f32x4.splat(0);
    let t = tab;
    let kk = k;
    for (let j = 0; j < klen; j++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(kk), v128.load(<usize>load<u32>(t) + xo)));
      t += 4;
      kk += 4;
    }
    v128.store(d + xo, a0);
  }
  for (; x < gw; x++) {
    const xo = <usize>x << 2;
    let a: f32 = 0;
    let t = tab;
    let kk = k;
    for (let j = 0; j < klen; j++) {
      a = a + load<f32>(kk) * load<f32>(<usize>load<u32>(t) + xo);
      t += 4;
      kk += 4;
    }
    store<f32>(d + xo, a);
  }
}

/**
 * Two output rows at once (symmetric, odd klen): d[x] from tap rows tab[0..klen), d2[x] from
 * tab[1..klen]; each row value is loaded once for both. Same sums in the same order as colSym.
 */
function colSym2(tab: usize, d: usize, d2: usize, k: usize, klen: i32, gw: i32): void {
  const half = klen >> 1;
  const cOff = <usize>half << 2;
  const kc = v128.load32_splat(k + cOff);
  const c1 = <usize>load<u32>(tab + cOff);
  const c2 = <usize>load<u32>(tab + cOff, 4);
  const r0 = <usize>load<u32>(tab);
  const rK = <usize>load<u32>(tab + (<usize>klen << 2));
  let x = 0;
  for (; x + 8 <= gw; x += 8) {
    const xo = <usize>x << 2;
    let a0 = f32x4.mul(kc, v128.load(c1 + xo));
    let a1 = f32x4.mul(kc, v128.load(c1 + xo, 16));
    let b0 = f32x4.mul(kc, v128.load(c2 + xo));
    let b1 = f32x4.mul(kc, v128.load(c2 + xo, 16));
    let p0 = v128.load(r0 + xo);
    let p1 = v128.load(r0 + xo, 16);
    let q0 = v128.load(rK + xo);
    let q1 = v128.load(rK + xo, 16);
    let tl = tab + 4;
    let th = tab + (<usize>(klen - 1) << 2);
    let kk = k;
    for (let j = 0; j < half; j++) {
      const kv = v128.load32_splat(kk);
      const lo = <usize>load<u32>(tl) + xo;
      const hi = <usize>load<u32>(th) + xo;
      const n0 = v128.load(lo);
      const n1 = v128.load(lo, 16);
      const m0 = v128.load(hi);
      const m1 = v128.load(hi, 16);
      a0 = f32x4.add(a0, f32x4.mul(kv, f32x4.add(p0, m0)));
      a1 = f32x4.add(a1, f32x4.mul(kv, f32x4.add(p1, m1)));
      b0 = f32x4.add(b0, f32x4.mul(kv, f32x4.add(n0, q0)));
      b1 = f32x4.add(b1, f32x4.mul(kv, f32x4.add(n1, q1)));
      p0 = n0;
      p1 = n1;
      q0 = m0;
      q1 = m1;
      tl += 4;
      th -= 4;
      kk += 4;
    }
    v128.store(d + xo, a0);
    v128.store(d + xo, a1, 16);
    v128.store(d2 + xo, b0);
    v128.store(d2 + xo, b1, 16);
  }
  if (x < gw) {
    colSym(tab, d + (<usize>x << 2), k, klen, gw - x, <usize>x << 2);
    colSym(tab + 4, d2 + (<usize>x << 2), k, klen, gw - x, <usize>x << 2);
  }
}

/** Fills tab[j] with the ring row of input row (r0 + j), j in [0, kly). */
@inline function fillTab(tab: usize, ring: usize, rowB: usize, r0: i32, kly: i32): void {
  let slot = r0 % kly;
  for (let j = 0; j < kly; j++) {
    store<u32>(tab + (<usize>j << 2), <u32>(ring + <usize>slot * rowB));
    slot++;
    if (slot == kly) slot = 0;
  }
}

// ---------------------------------------------------------------- fused float plane
/**
 * Separable correlation of one float plane, output rows [y0, y1):
 * dst[y*DS + x] = Σ_j ky[j] Σ_i kx[i] src[(y - cy + j)*S + x + i], x in [0, gw).
 * `src` points at the first input column used (x offset 0), `dst` at the first good output column.
 * ring: ringBytes(gw, kly) bytes of scratch owned by this call. symx/symy: the kernels are symmetric.
 */
export function convSep(
  src: usize, S: i32, dst: usize, DS: i32,
  kx: usize, klx: i32, ky: usize, kly: i32,
  cy: i32, gw: i32, y0: i32, y1: i32, ring: usize, symx: i32, symy: i32,
): void {
  const rowB = ringRow(gw);
  const nr = kly + 1;
  const tab = ring + <usize>nr * rowB;
  const sx = symx != 0;
  const sy = symy != 0;
  const DB = <usize>DS << 2;
  let next = y0 - cy;
  let y = y0;
  while (y < y1) {
    const two = sy && y + 1 < y1;
    const r0 = y - cy;
    const rEnd = r0 + kly + (two ? 1 : 0);
    if (next < r0) next = r0;
    for (; next < rEnd; next++)
      rowPass(src + ((<usize>next * <usize>S) << 2), ring + <usize>(next % nr) * rowB, kx, klx, gw, sx);
    fillTab(tab, ring, rowB, r0, nr);
    const d = dst + <usize>y * DB;
    if (two) {
      colSym2(tab, d, d + DB, ky, kly, gw);
      y += 2;
    } else {
      if (sy) colSym(tab, d, ky, kly, gw, 0);
      else colGen(tab, d, ky, kly, gw);
      y++;
    }
  }
}
// ---------------------------------------------------------------- fused mask plane
/** d[x] = OR_i (nz[i] & m[x + i]) for x in [0, gw). */
function orRow(m: usize, d: usize, nz: usize, klen: i32, gw: i32): void {
  let x = 0;
  for (; x + 8 <= gw; x += 8) {
    const q = m + (<usize>x << 2);
    let a0 = i32x4.splat(0);
    let a1 = i32x4.splat(0);
    let p = q;
    let kk = nz;
    for (let i = 0; i < klen; i++) {
      const kv = v128.load32_splat(kk);
      a0 = v128.or(a0, v128.and(kv, v128.load(p)));
      a1 = v128.or(a1, v128.and(kv, v128.load(p, 16)));
      p += 4;
      kk += 4;
    }
    v128.store(d + (<usize>x << 2), a0);
    v128.store(d + (<usize>x << 2), a1, 16);
  }
  for (; x < gw; x++) {
    let a: i32 = 0;
    let p = m + (<usize>x << 2);
    let kk = nz;
    for (let i = 0; i < klen; i++) {
      a |= load<i32>(kk) & load<i32>(p);
      p += 4;
      kk += 4;
    }
    store<i32>(d + (<usize>x << 2), a);
  }
}

/** d[x] = OR_j (nz[j] & tab[j][x]) | (noData where img[x] is NaN), x in [0, gw). tab = 0: no mask input. */
function orCol(tab: usize, d: usize, img: usize, nz: usize, klen: i32, gw: i32, noData: i32): void {
  const nd = i32x4.splat(noData);
  let x = 0;
  for (; x + 8 <= gw; x += 8) {
    const xo = <usize>x << 2;
    const v0 = v128.load(img + xo);
    const v1 = v128.load(img + xo, 16);
    let a0 = v128.and(nd, f32x4.ne(v0, v0));
    let a1 = v128.and(nd, f32x4.ne(v1, v1));
    if (tab) {
      let t = tab;
      let kk = nz;
      for (let j = 0; j < klen; j++) {
        const kv = v128.load32_splat(kk);
        const p = <usize>load<u32>(t) + xo;
        a0 = v128.or(a0, v128.and(kv, v128.load(p)));
        a1 = v128.or(a1, v128.and(kv, v128.load(p, 16)));
        t += 4;
        kk += 4;
      }
    }
    v128.store(d + xo, a0);
    v128.store(d + xo, a1, 16);
  }
  for (; x < gw; x++) {
    const xo = <usize>x << 2;
    const v = load<f32>(img + xo);
    let a: i32 = v != v ? noData : 0;
    if (tab) {
      let t = tab;
      let kk = nz;
      for (let j = 0; j < klen; j++) {
        a |= load<i32>(kk) & load<i32>(<usize>load<u32>(t) + xo);
        t += 4;
        kk += 4;
      }
    }
    store<i32>(d + xo, a);
  }
}

/** Dense form of orRow (every tap non-zero): d[x] = OR_i m[x + i]. */
function orRowDense(m: usize, d: usize, klen: i32, gw: i32): void {
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    let p = m + (<usize>x << 2);
    let a0 = v128.load(p);
    let a1 = v128.load(p, 16);
    let a2 = v128.load(p, 32);
    let a3 = v128.load(p, 48);
    for (let i = 1; i < klen; i++) {
      p += 4;
      a0 = v128.or(a0, v128.load(p));
      a1 = v128.or(a1, v128.load(p, 16));
      a2 = v128.or(a2, v128.load(p, 32));
      a3 = v128.or(a3, v128.load(p, 48));
    }
    const o = d + (<usize>x << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; x < gw; x++) {
    let p = m + (<usize>x << 2);
    let a = load<i32>(p);
    for (let i = 1; i < klen; i++) {
      p += 4;
      a |= load<i32>(p);
    }
    store<i32>(d + (<usize>x << 2), a);
  }
}

/** d = s | row | (nd where img is NaN), one vector. */
@inline function orOut(d: usize, s: v128, row: usize, img: usize, nd: v128): void {
  const v = v128.load(img);
  v128.store(d, v128.or(v128.or(s, v128.load(row)), v128.and(nd, f32x4.ne(v, v))));
}

/**
 * Dense vertical smear of two output rows: the OR of the klen - 1 shared tap rows tab[1..klen) is
 * formed once, then d = that | tab[0], d2 = that | tab[klen]; plus noData where img / img2 is NaN.
 */
function orColDense2(tab: usize, d: usize, d2: usize, img: usize, img2: usize, klen: i32, gw: i32, noData: i32): void {
  const nd = i32x4.splat(noData);
  const rf = <usize>load<u32>(tab);
  const rl = <usize>load<u32>(tab + (<usize>klen << 2));
  let x = 0;
  for (; x + 16 <= gw; x += 16) {
    const xo = <usize>x << 2;
    let p = <usize>load<u32>(tab, 4) + xo;
    let s0 = v128.load(p);
    let s1 = v128.load(p, 16);
    let s2 = v128.load(p, 32);
    let s3 = v128.load(p, 48);
    let t = tab + 8;
    for (let j = 2; j < klen; j++) {
      p = <usize>load<u32>(t) + xo;
      s0 = v128.or(s0, v128.load(p));
      s1 = v128.or(s1, v128.load(p, 16));
      s2 = v128.or(s2, v128.load(p, 32));
      s3 = v128.or(s3, v128.load(p, 48));
      t += 4;
    }
    orOut(d + xo, s0, rf + xo, img + xo, nd);
    orOut(d + xo + 16, s1, rf + xo + 16, img + xo + 16, nd);
    orOut(d + xo + 32, s2, rf + xo + 32, img + xo + 32, nd);
    orOut(d + xo + 48, s3, rf + xo + 48, img + xo + 48, nd);
    orOut(d2 + xo, s0, rl + xo, img2 + xo, nd);
    orOut(d2 + xo + 16, s1, rl + xo + 16, img2 + xo + 16, nd);
    orOut(d2 + xo + 32, s2, rl + xo + 32, img2 + xo + 32, nd);
    orOut(d2 + xo + 48, s3, rl + xo + 48, img2 + xo + 48, nd);
  }
  for (; x < gw; x++) {
    const xo = <usize>x << 2;
    let s: i32 = 0;
    let t = tab + 4;
    for (let j = 1; j < klen; j++) {
      s |= load<i32>(<usize>load<u32>(t) + xo);
      t += 4;
    }
    const v = load<f32>(img + xo);
    const w = load<f32>(img2 + xo);
    store<i32>(d + xo, s | load<i32>(rf + xo) | (v != v ? noData : 0));
    store<i32>(d2 + xo, s | load<i32>(rl + xo) | (w != w ? noData : 0));
  }
}

/**
 * Mask smear of output rows [y0, y1): dst[y*DS + x] = OR over taps with non-zero weight
 * (nzx[i], nzy[j] = -1 there, else 0) of m[(y - cy + j)*S + x + i], OR noData where the convolved
 * image img[y*DS + x] is NaN. m = 0: no input mask (only the NaN test). Pointers as in convSep
 * (img at the same offsets as dst); ring: ringBytes(gw, kly) bytes of scratch.
 */
export function orSep(
  m: usize, S: i32, dst: usize, img: usize, DS: i32,
  nzx: usize, klx: i32, nzy: usize, kly: i32,
  cy: i32, gw: i32, y0: i32, y1: i32, ring: usize, noData: i32,
): void {
  const rowB = ringRow(gw);
  const nr = kly + 1;
  const tab = ring + <usize>nr * rowB;
  const dx = allSet(nzx, klx);
  const dy = allSet(nzy, kly);
  const DB = <usize>DS << 2;
  let next = y0 - cy;
  let y = y0;
  while (y < y1) {
    const o = <usize>y * DB;
    if (!m) {
      orCol(0, dst + o, img + o, nzy, kly, gw, noData);
      y++;
      continue;
    }
    const two = dy && kly >= 3 && y + 1 < y1;
    const r0 = y - cy;
    const rEnd = r0 + kly + (two ? 1 : 0);
    if (next < r0) next = r0;
    for (; next < rEnd; next++) {
      const s = m + ((<usize>next * <usize>S) << 2);
      const d = ring + <usize>(next % nr) * rowB;
      if (dx) orRowDense(s, d, klx, gw);
      else orRow(s, d, nzx, klx, gw);
    }
    fillTab(tab, ring, rowB, r0, nr);
    if (two) {
      orColDense2(tab, dst + o, dst + o + DB, img + o, img + o + DB, kly, gw, noData);
      y += 2;
    } else {
      orCol(tab, dst + o, img + o, nzy, kly, gw, noData);
      y++;
    }
  }
}

/** True when the first n i32 at p are all -1 (every tap non-zero). */
function allSet(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (load<i32>(p + (<usize>i << 2)) != -1) return false;
  return true;
}
