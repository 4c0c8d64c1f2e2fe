import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchenkoPasturCurve } from './marchenkoPasturOverlay.js';
import { marchenkoPasturQuantiles } from './syntheticReportData.js';

test('marchenkoPasturCurve recovers s^2 and the SPEC bulk edges [~51, ~4949] for a 1500 x 1000 W', () => {
  const eigenvalues = marchenkoPasturQuantiles(1500, 1000).map((x) => 3 * x);
  const curve = marchenkoPasturCurve(eigenvalues, 1500, 1000)!;
  assert.ok(Math.abs(curve.varianceScale - 3) < 0.01, `s2 ${curve.varianceScale}`);
  assert.ok(Math.abs(curve.bulkMin / 3 - 50.5) < 0.5);
  assert.ok(Math.abs(curve.bulkMax / 3 - 4949) < 5);
  assert.equal(curve.numSpikes, 0);
  assert.equal(curve.points.length, 200);
  // The sampled density integrates to about 1 over the bulk (trapezoid on the cosine grid).
  let integral = 0;
  for (let k = 1; k < curve.points.length; k++) {
    const a = curve.points[k - 1]!;
    const b = curve.points[k]!;
    integral += ((a.density + b.density) / 2) * (b.lambda - a.lambda);
  }
  assert.ok(Math.abs(integral - 1) < 0.01, `integral ${integral}`);
});

test('marchenkoPasturCurve counts a spike above the edge and returns null without usable data', () => {
  const eigenvalues = Array.from(marchenkoPasturQuantiles(60, 40));
  eigenvalues.push(eigenvalues[eigenvalues.length - 1]! * 30);
  eigenvalues.shift();
  assert.equal(marchenkoPasturCurve(eigenvalues, 60, 40)!.numSpikes, 1);
  assert.equal(marchenkoPasturCurve([], 60, 40), null);
  assert.equal(marchenkoPasturCurve([1, 2], 0, 40), null);
  assert.equal(marchenkoPasturCurve([0, 0], 2, 2), null);
});
