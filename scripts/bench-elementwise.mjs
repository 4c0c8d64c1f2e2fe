// The fused elementwise kernels (Backend.elementwise) against the TypeScript loops they replace, at
// paper size (a 2000 x 1500 step pass, 1.5M Adam parameters, 3M read-out tanh), best of 8:
//   node --import tsx scripts/bench-elementwise.mjs native|wasm
import { loadBackend } from '../src/linalg/node.ts';
import { tanhFast } from '../src/model/activation.ts';
import { Adam } from '../src/optim/adam.ts';
const { backend } = await loadBackend(process.argv[2] ?? 'wasm', { threads: 2 });
const B = 2000, h = 1500;
const z0 = new Float32Array(B*h).map(() => Math.random()*4-2);
const a = new Float32Array(h).map(() => Math.random()-0.5);
const y = new Float64Array(B).map(() => Math.random());
const s = 1/Math.sqrt(h);
function loop(values) {
  let lossSum = 0;
  for (let i = 0; i < B; i++) { const off = i*h; let sum = 0;
    for (let j = 0; j < h; j++) { const t = tanhFast(values[off+j]); values[off+j] = t; sum += t*a[j]; }
    const r = sum*s - y[i]; lossSum += r*r;
    for (let j = 0; j < h; j++) { const t = values[off+j]; values[off+j] = r*a[j]*(1-t*t); } }
  return lossSum;
}
const best = { pl: 1e9, pk: 1e9, al: 1e9, ak: 1e9, rl: 1e9, rk: 1e9 };
const p = new Float32Array(1.5e6).map(()=>Math.random()), g = p.map(()=>Math.random());
const A1 = new Adam({momentum:0, weightDecay:0}), A2 = new Adam({momentum:0, weightDecay:0});
const p1 = p.slice(), p2 = p.slice(); A1.step(p1, g, 1); A2.step(p2, g, 1, backend.elementwise);
const f = new Float64Array(B*h);
for (let rep = 0; rep < 8; rep++) {
  let z = z0.slice(); let t0 = performance.now(); loop(z); best.pl = Math.min(best.pl, performance.now()-t0);
  z = z0.slice(); t0 = performance.now(); backend.elementwise.tanhBackwardF32(z, B, h, a, y, s, null); best.pk = Math.min(best.pk, performance.now()-t0);
  t0 = performance.now(); A1.step(p1, g, 1); best.al = Math.min(best.al, performance.now()-t0);
  t0 = performance.now(); A2.step(p2, g, 1, backend.elementwise); best.ak = Math.min(best.ak, performance.now()-t0);
  t0 = performance.now(); for (let i=0;i<f.length;i++) f[i]=tanhFast(z0[i])*s; best.rl = Math.min(best.rl, performance.now()-t0);
  t0 = performance.now(); backend.elementwise.tanhScaleF32(z0, f, f.length, s); best.rk = Math.min(best.rk, performance.now()-t0);
}
console.log(process.argv[2], Object.entries(best).map(([k,v])=>`${k} ${v.toFixed(1)}`).join(' | '), 'ms (pass/adam/readout-tanh: l=loop k=kernel, best of 8)');
await backend.dispose?.();
