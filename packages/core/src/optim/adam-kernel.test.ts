import { tf } from '../tf';
import { initBackend } from '../backend/backend';
import { expectNoLeak } from '../testing/leaks';
import { Rng } from '../random/rng';
import { adamRule } from './adam';
import { fusedAdamSupported, fusedAdamUpdate, fusedAdamUsesSimd } from './adam-kernel';
import { ADAM_WASM_BASE64 } from './adam-wasm';
import { spawnSync } from 'child_process';
import * as path from 'path';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', quiet: true });
});

// sizes 12, 4, 4, 1, 7: whole SIMD vectors and a JavaScript tail of 1-3 elements
const SHAPES = [[3, 4], [4], [2, 2], [1], [7]];
const n = SHAPES.reduce((s, sh) => s + sh.reduce((a, b) => a * b, 1), 0);

describe('fused Adam kernel (wasm)', () => {
  it('is registered on wasm and runs in the SIMD module on its heap', () => {
    expect(fusedAdamSupported()).toBe(true);
    expect(fusedAdamUsesSimd()).toBe(true);
  });

  it('embeds exactly what assembly/adam.ts compiles to', () => {
    const script = path.join(__dirname, '..', '..', 'scripts', 'embed-adam-wasm.js');
    const r = spawnSync(process.execPath, [script, '--print'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(ADAM_WASM_BASE64);
  });

  it('equals the op-by-op rule over 5 steps with several variables (relative 1e-5 of each step)', () => {
    const rng = new Rng(11);
    const vars = SHAPES.map((s) => tf.variable(tf.tensor(rng.normalArray(s.reduce((a, b) => a * b, 1)), s)));
    const ref = tf.variable(tf.concat(vars.map((v) => v.reshape([-1])))); // (n,)
    const m = tf.variable(tf.zeros([n])),
      v = tf.variable(tf.zeros([n]));
    let mr = tf.zeros([n]),
      vr = tf.zeros([n]);
    const c = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    for (let t = 1; t <= 5; t++) {
      const gs = SHAPES.map((s) =>
        tf.tensor(
          rng.normalArray(
            s.reduce((a, b) => a * b, 1),
            0,
            3,
          ),
          s,
        ),
      );
      const g = tf.concat(gs.map((x) => x.reshape([-1])));
      const before = Float32Array.from(ref.dataSync());
      fusedAdamUpdate(vars, gs, m, v, { ...c, t });
      const out = adamRule(ref, g, { m: mr, v: vr }, t, c.lr, c.beta1, c.beta2, c.epsilon);
      tf.dispose([mr, vr]);
      [mr, vr] = [out.slots.m, out.slots.v];
      ref.assign(out.w);
      out.w.dispose();
      const got = tf.concat(vars.map((x) => x.reshape([-1]))).dataSync();
      const want = ref.dataSync();
      for (let i = 0; i < n; i++) {
        // the update is ~lr; compare each weight's step to 1e-5 of lr
        expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * c.lr + 1e-7 * Math.abs(before[i]));
      }
      const mv = m.dataSync(),
        mrv = mr.dataSync(),
        vv = v.dataSync(),
        vrv = vr.dataSync();
      for (let i = 0; i < n; i++) {
        // m = b1 m + (1 - b1) g can cancel: compare to the size of its terms (g ~ 3, m ~ 1)
        expect(Math.abs(mv[i] - mrv[i])).toBeLessThanOrEqual(1e-6 * (Math.abs(mrv[i]) + 0.3));
        expect(Math.abs(vv[i] - vrv[i])).toBeLessThanOrEqual(1e-6 * Math.abs(vrv[i]) + 1e-12);
      }
      tf.dispose([...gs, g]);
      // vars are exactly the values the next step starts from on both sides
      ref.assign(tf.concat(vars.map((x) => x.reshape([-1]))));
    }
    tf.dispose([...vars, ref, m, v, mr, vr]);
  });

  it("with AdamW's decay equals its op-by-op rule (decay, then Adam) over 5 steps to float32 rounding", () => {
    const rng = new Rng(12);
    const vars = SHAPES.map((s) => tf.variable(tf.tensor(rng.normalArray(s.reduce((a, b) => a * b, 1)), s)));
    const m = tf.variable(tf.zeros([n])),
      v = tf.variable(tf.zeros([n]));
    let ref = tf.concat(vars.map((x) => x.reshape([-1]))); // (n,)
    let mr = tf.zeros([n]),
      vr = tf.zeros([n]);
    const c = { lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
    const decay = 1 - c.lr * 0.5;
    for (let t = 1; t <= 5; t++) {
      const gs = SHAPES.map((s) => tf.tensor(rng.normalArray(s.reduce((a, b) => a * b, 1)), s));
      const g = tf.concat(gs.map((x) => x.reshape([-1])));
      fusedAdamUpdate(vars, gs, m, v, { ...c, t, decay });
      const out = tf.tidy(() => {
        const r = adamRule(ref.mul(decay), g, { m: mr, v: vr }, t, c.lr, c.beta1, c.beta2, c.epsilon);
        return [r.w, r.slots.m, r.slots.v];
      });
      tf.dispose([ref, mr, vr]);
      [ref, mr, vr] = out;
      const got = tf.concat(vars.map((x) => x.reshape([-1]))).dataSync();
      const want = ref.dataSync();
      // the decay moves each weight by lr * 0.5 * |w| ~ 0.03, the step by ~lr: both agree to float32 rounding
      for (let i = 0; i < n; i++)
        expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5 * c.lr + 2e-7 * Math.abs(want[i]));
      tf.dispose([...gs, g]);
      ref.dispose();
      ref = tf.concat(vars.map((x) => x.reshape([-1])));
    }
    tf.dispose([...vars, ref, m, v, mr, vr]);
  });

  it('leaves no tensors behind', async () => {
    const vars = SHAPES.map((s) => tf.variable(tf.ones(s)));
    const gs = SHAPES.map((s) => tf.fill(s, 0.5));
    const m = tf.variable(tf.zeros([n])),
      v = tf.variable(tf.zeros([n]));
    await expectNoLeak(() => {
      for (let t = 1; t <= 3; t++)
        fusedAdamUpdate(vars, gs, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t });
    }, 'fused adam');
    // first step moves each weight by lr * sign(g) (bias correction): 1 - 0.1, three times
    expect(vars[0].dataSync()[0]).toBeCloseTo(0.7, 5);
    tf.dispose([...vars, ...gs, m, v]);
  });
});
