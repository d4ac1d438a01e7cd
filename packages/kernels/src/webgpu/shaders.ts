/** WGSL compute shaders of the webgpu backend (f32; NaN tested by bit pattern, not by comparison). */

const COMMON = /* wgsl */ `
fn isNonFinite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u; }
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
// Runtime (not constant) bit patterns: WGSL rejects NaN/inf constant expressions. p[3][3] is always 0.
fn nanF() -> f32 { return bitcast<f32>(0x7fc00000u | (p[3][3] & 0u)); }
fn infF() -> f32 { return bitcast<f32>(0x7f800000u | (p[3][3] & 0u)); }
fn pu(i: u32) -> u32 { return p[i / 4u][i % 4u]; }
`;

/** Separable convolution passes. p: [S, gw, klen, H, cy, y0, rows, OS, ox, noData]. */
export const CONV_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<uniform> p: array<vec4u, 4>;
${COMMON}
@compute @workgroup_size(64)
fn rows(@builtin(global_invocation_id) g: vec3u) {
  let x = g.x; let y = g.y;
  if (x >= pu(1u) || y >= pu(3u)) { return; }
  var s = 0.0;
  let base = y * pu(0u) + x;
  for (var i = 0u; i < pu(2u); i++) { s = s + k[i] * src[base + i]; }
  dst[y * pu(1u) + x] = s;
}
@compute @workgroup_size(64)
fn cols(@builtin(global_invocation_id) g: vec3u) {
  let x = g.x; let r = g.y;
  if (x >= pu(1u) || r >= pu(6u)) { return; }
  let y = r + pu(5u);
  var s = 0.0;
  let gw = pu(1u);
  let top = (y - pu(4u)) * gw + x;
  for (var j = 0u; j < pu(2u); j++) { s = s + k[j] * src[top + j * gw]; }
  dst[y * pu(7u) + pu(8u) + x] = s;
}
`;

/** Mask smear passes; nz = -1 for non-zero taps. The cols pass also sets noData where img is NaN. */
export const MASK_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<i32>;
@group(0) @binding(1) var<storage, read_write> dst: array<i32>;
@group(0) @binding(2) var<storage, read> nz: array<i32>;
@group(0) @binding(3) var<uniform> p: array<vec4u, 4>;
@group(0) @binding(4) var<storage, read> img: array<f32>;
${COMMON}
@compute @workgroup_size(64)
fn rows(@builtin(global_invocation_id) g: vec3u) {
  let x = g.x; let y = g.y;
  if (x >= pu(1u) || y >= pu(3u)) { return; }
  var a = 0i;
  let base = y * pu(0u) + x;
  for (var i = 0u; i < pu(2u); i++) { a = a | (nz[i] & src[base + i]); }
  dst[y * pu(1u) + x] = a;
}
@compute @workgroup_size(64)
fn cols(@builtin(global_invocation_id) g: vec3u) {
  let x = g.x; let r = g.y;
  if (x >= pu(1u) || r >= pu(6u)) { return; }
  let y = r + pu(5u);
  var a = 0i;
  let gw = pu(1u);
  let top = (y - pu(4u)) * gw + x;
  for (var j = 0u; j < pu(2u); j++) { a = a | (nz[j] & src[top + j * gw]); }
  let o = y * pu(7u) + pu(8u) + x;
  if (isNan(img[o])) { a = a | i32(pu(9u)); }
  dst[o] = a;
}
`;

/**
 * Resampling. p: [W, H, S, DW, DH, OS, mode, kernel, hasMask, hasVar, conserve, noData, edgeBit,
 * L, area(f32 bits), 0]. geo (u32): mode 0 (affine, separable): xI[DW] xF[DW] yI[DW] yF[DW] then
 * xIr[DH] xFr[DH] yIr[DH] yFr[DH] (sx = xI[x]+xIr[y] + xF[x]+xFr[y]); mode 1: xI[N] xF[N] yI[N]
 * yF[N] area[N] per destination pixel (fractions and areas as f32 bits; invalid points yI = 0x7fffffff).
 */
export const RESAMPLE_WGSL = /* wgsl */ `const WG = 16u;
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> msk: array<i32>;
@group(0) @binding(2) var<storage, read> vr: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;
@group(0) @binding(4) var<storage, read_write> dmsk: array<i32>;
@group(0) @binding(5) var<storage, read_write> dvr: array<f32>;
@group(0) @binding(6) var<storage, read> geo: array<u32>;
@group(0) @binding(7) var<storage, read> tab: array<f32>;
@group(0) @binding(8) var<uniform> p: array<vec4u, 4>;
${COMMON}
// returns (first, count); count 0 = invalid
fn axisW(kernel: u32, base: i32, f: f32, n: i32, w: ptr<function, array<f32, 12>>) -> vec2i {
  if (kernel == 0u) {
    var i = base;
    if (f >= 0.5) { i = base + 1; }
    (*w)[0] = 1.0;
    if (i < 0 || i >= n) { return vec2i(0, 0); }
    return vec2i(i, 1);
  }
  if (kernel == 1u) {
    (*w)[0] = 1.0 - f; (*w)[1] = f;
    var c = 2;
    if (f == 0.0) { c = 1; }
    if (base < 0 || base + c > n) { return vec2i(base, 0); }
    return vec2i(base, c);
  }
  if (f == 0.0) {
    (*w)[0] = 1.0;
    if (base < 0 || base >= n) { return vec2i(0, 0); }
    return vec2i(base, 1);
  }
  let L = pu(13u);
  let u = f * 1024.0;
  let i = min(u32(u), 1023u);
  let t = u - f32(i);
  let N = i32(kernel);
  for (var k = 0u; k < u32(2 * N); k++) {
    let a = tab[i * L + k];
    let b = tab[(i + 1u) * L + k];
    (*w)[k] = a + t * (b - a);
  }
  let first = base - N + 1;
  if (first < 0 || first + 2 * N > n) { return vec2i(first, 0); }
  return vec2i(first, 2 * N);
}
fn split(ii: i32, ff: f32) -> vec2f { return vec2f(f32(ii), ff); }
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let x = g.x; let y = g.y;
  let W = i32(pu(0u)); let H = i32(pu(1u)); let S = pu(2u); let DW = pu(3u); let DH = pu(4u);
  if (x >= DW || y >= DH) { return; }
  let o = y * pu(5u) + x;
  var bx: i32; var fx: f32; var by: i32; var fy: f32; var area = bitcast<f32>(pu(14u));
  var valid = true;
  if (pu(6u) == 0u) {
    let r = 4u * DW;
    bx = bitcast<i32>(geo[x]) + bitcast<i32>(geo[r + y]);
    fx = bitcast<f32>(geo[DW + x]) + bitcast<f32>(geo[r + DH + y]);
    by = bitcast<i32>(geo[2u * DW + x]) + bitcast<i32>(geo[r + 2u * DH + y]);
    fy = bitcast<f32>(geo[3u * DW + x]) + bitcast<f32>(geo[r + 3u * DH + y]);
  } else {
    let n = DW * DH; let i = y * DW + x;
    bx = bitcast<i32>(geo[i]); fx = bitcast<f32>(geo[n + i]);
    by = bitcast<i32>(geo[2u * n + i]); fy = bitcast<f32>(geo[3u * n + i]);
    area = bitcast<f32>(geo[4u * n + i]);
    if (bitcast<u32>(by) == 0x7fffffffu) { valid = false; }
  }
  if (fx >= 1.0) { bx = bx + 1; fx = fx - 1.0; }
  if (fy >= 1.0) { by = by + 1; fy = fy - 1.0; }
  var wx: array<f32, 12>; var wy: array<f32, 12>;
  var ax = vec2i(0, 0); var ay = vec2i(0, 0);
  if (valid) { ax = axisW(pu(7u), bx, fx, W, &wx); }
  if (ax.y > 0) { ay = axisW(pu(7u), by, fy, H, &wy); }
  let hasMask = pu(8u) != 0u; let hasVar = pu(9u) != 0u;
  if (ax.y == 0 || ay.y == 0) {
    dst[o] = nanF();
    if (hasVar) { dvr[o] = infF(); }
    if (hasMask) { dmsk[o] = i32(pu(11u)); }
    return;
  }
  var s = 0.0; var v = 0.0; var edge = 0i;
  let eb = i32(pu(12u));
  for (var j = 0; j < ay.y; j++) {
    let row = u32(ay.x + j) * S + u32(ax.x);
    var rs = 0.0; var rv = 0.0;
    for (var i = 0; i < ax.y; i++) {
      rs = rs + wx[i] * src[row + u32(i)];
      if (hasVar) { rv = rv + wx[i] * wx[i] * vr[row + u32(i)]; }
      if (hasMask) { edge = edge | (msk[row + u32(i)] & eb); }
    }
    s = s + wy[j] * rs;
    v = v + wy[j] * wy[j] * rv;
  }
  if (pu(10u) == 0u) { area = 1.0; }
  let val = s * area;
  dst[o] = val;
  if (hasVar) { dvr[o] = v * area * area; }
  if (hasMask) {
    var bits = edge;
    var cx = 2; if (fx == 0.0) { cx = 1; }
    var cy = 2; if (fy == 0.0) { cy = 1; }
    for (var j = 0; j < cy; j++) {
      let yy = by + j;
      if (yy < 0 || yy >= H) { continue; }
      for (var i = 0; i < cx; i++) {
        let xx = bx + i;
        if (xx >= 0 && xx < W) { bits = bits | (msk[u32(yy) * S + u32(xx)] & ~eb); }
      }
    }
    if (isNan(val)) { bits = bits | i32(pu(11u)); }
    dmsk[o] = bits;
  }
}
`;

/**
 * Stacking of a band of rows. p: [N, npix, stat, andMask, numIter, nt, hasMask, hasVar, noData,
 * k (f32 bits)]. prm (f32): weights[N], then (bit, threshold) pairs.
 */
export const STACK_WGSL = /* wgsl */ `const WG = 16u;
@group(0) @binding(0) var<storage, read> inp: array<f32>;
@group(0) @binding(1) var<storage, read> inm: array<i32>;
@group(0) @binding(2) var<storage, read> inv: array<f32>;
@group(0) @binding(3) var<storage, read> prm: array<f32>;
@group(0) @binding(4) var<storage, read_write> oimg: array<f32>;
@group(0) @binding(5) var<storage, read_write> ovar: array<f32>;
@group(0) @binding(6) var<storage, read_write> omsk: array<i32>;
@group(0) @binding(7) var<storage, read_write> ocnt: array<i32>;
@group(0) @binding(8) var<uniform> p: array<vec4u, 4>;
${COMMON}
fn q(s: ptr<function, array<f32, 64>>, n: i32, f: f32) -> f32 {
  let pos = f * f32(n - 1);
  let lo = i32(floor(pos));
  let hi = min(lo + 1, n - 1);
  let a = (*s)[lo];
  return a + (pos - f32(lo)) * ((*s)[hi] - a);
}
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let N = pu(0u); let npix = pu(1u);
  let px = g.x + g.y * 65535u * WG;
  if (px >= npix) { return; }
  let stat = pu(2u); let andMask = i32(pu(3u)); let hasMask = pu(6u) != 0u; let hasVar = pu(7u) != 0u;
  let kk = bitcast<f32>(pu(9u));
  var vals: array<f32, 64>; var vv: array<f32, 64>; var ws: array<f32, 64>; var srt: array<f32, 64>;
  var n = 0; var orBits = 0i; var rej = 0i; var wAll = 0.0;
  for (var i = 0u; i < N; i++) {
    wAll = wAll + prm[i];
    let v = inp[i * npix + px];
    var m = 0i;
    if (hasMask) { m = inm[i * npix + px]; }
    if (isNonFinite(v) || (m & andMask) != 0) { rej = rej | m; continue; }
    orBits = orBits | m;
    vals[n] = v;
    if (hasVar) { vv[n] = inv[i * npix + px]; } else { vv[n] = 0.0; }
    ws[n] = prm[i];
    n++;
  }
  var bits = orBits;
  if (rej != 0) {
    for (var t = 0u; t < pu(5u); t++) {
      let bit = i32(prm[N + 2u * t]);
      if ((rej & bit) == 0) { continue; }
      var wr = 0.0;
      for (var i = 0u; i < N; i++) {
        let v = inp[i * npix + px];
        var m = 0i;
        if (hasMask) { m = inm[i * npix + px]; }
        if ((isNonFinite(v) || (m & andMask) != 0) && (m & bit) != 0) { wr = wr + prm[i]; }
      }
      if (wr / wAll > prm[N + 2u * t + 1u]) { bits = bits | bit; }
    }
  }
  var value = nanF(); var variance = infF(); var count = 0;
  if (n > 0) {
    if (stat != 0u) {
      for (var i = 0; i < n; i++) {
        let v = vals[i];
        var j = i - 1;
        while (j >= 0 && srt[j] > v) { srt[j + 1] = srt[j]; j--; }
        srt[j + 1] = v;
      }
    }
    if (stat == 1u) {
      value = q(&srt, n, 0.5);
      var sv = 0.0;
      for (var i = 0; i < n; i++) { sv = sv + vv[i]; }
      variance = 1.5707963267948966 * sv / (f32(n) * f32(n));
      count = n;
    } else {
      var c = 0.0; var hw = infF(); var clip = false;
      if (stat == 2u) {
        clip = true;
        c = q(&srt, n, 0.5);
        hw = kk * 0.741301109252802 * (q(&srt, n, 0.75) - q(&srt, n, 0.25));
        for (var it = 0u; it + 1u < pu(4u); it++) {
          var sw = 0.0; var swx = 0.0; var sw2 = 0.0; var kept = 0;
          for (var i = 0; i < n; i++) {
            if (!(abs(vals[i] - c) <= hw)) { continue; }
            sw = sw + ws[i]; swx = swx + ws[i] * vals[i]; sw2 = sw2 + ws[i] * ws[i]; kept++;
          }
          var mean = nanF();
          if (kept > 0) { mean = swx / sw; }
          var ss = 0.0;
          for (var i = 0; i < n; i++) {
            if (!(abs(vals[i] - c) <= hw)) { continue; }
            ss = ss + ws[i] * (vals[i] - mean) * (vals[i] - mean);
          }
          let den = sw * sw - sw2;
          var vr = nanF();
          if (kept > 1 && den > 0.0) { vr = (ss / sw) * ((sw * sw) / den); }
          c = mean;
          hw = kk * sqrt(vr);
          if (isNan(vr) || isNan(mean)) { hw = -1.0; }
        }
      }
      var sw = 0.0; var swx = 0.0; var sw2v = 0.0;
      for (var i = 0; i < n; i++) {
        if (clip && !(abs(vals[i] - c) <= hw)) { continue; }
        sw = sw + ws[i]; swx = swx + ws[i] * vals[i]; sw2v = sw2v + ws[i] * ws[i] * vv[i];
        count++;
      }
      if (count > 0) { value = swx / sw; variance = sw2v / (sw * sw); }
    }
  }
  if (count == 0) { bits = bits | i32(pu(8u)); }
  oimg[px] = value;
  if (hasVar) { ovar[px] = variance; } else { ovar[px] = nanF(); }
  omsk[px] = bits;
  ocnt[px] = count;
}
`;
