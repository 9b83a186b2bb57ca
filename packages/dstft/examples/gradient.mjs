// Forward, backward, gradient step: sharpen the example signal's spectrogram by learning one window length θ.
// Run: pnpm --filter @dstft/dstft example:gradient   (after `npm start` has built the packages)
import { chirpToneBurst, createDstft } from '@dstft/dstft';

const { samples, sampleRate } = chirpToneBurst();             // 1 s at 8 kHz
const dstft = createDstft({ nFft: 1024, signalLength: samples.length, sampleRate, hop: 64, theta: 400 });

// Shannon entropy of p = S/ΣS (lower = sharper) and its gradient ∂H/∂S = -(log p + H)/ΣS
function entropy(S) {
  let Z = 0;
  for (const v of S) Z += v;
  let H = 0;
  for (const v of S) H -= (v / Z) * Math.log(v / Z);
  return { H, dS: S.map((v) => -(Math.log(v / Z) + H) / Z) };
}

// Plain gradient descent with a fixed rate, to show the mechanics. The entropy is not convex in θ (local minima a
// few samples apart), so it settles in a nearby minimum; robust strategies and real optimizers come with the
// losses / optimizers packages.
for (let step = 0; step <= 40; step++) {
  const res = dstft.forward(samples);                         // keeps what backward needs
  const { H, dS } = entropy(res.spec);
  const grads = dstft.backward(res, { spec: dS });            // ∂H/∂θ, no autograd tape
  if (step % 10 === 0) console.log(`step ${String(step).padStart(2)}  θ = ${dstft.params.theta[0].toFixed(2)}  H = ${H.toFixed(6)}  ∂H/∂θ = ${grads.theta[0].toExponential(3)}`);
  dstft.params.theta[0] -= 2e4 * grads.theta[0];              // plain gradient descent, in samples
}
