// The power-of-cosine window: g(u) = cos(πu)^p on the unit support [-1/2, 1/2), dilated to the window length θ.
// p = 2 is the Hann window; larger p gives a narrower main lobe in time and lower side lobes. For p ≥ 2 the window
// and its slope vanish at the edge, so the transform is continuous (and differentiable) in θ.
import { defineDilationWindow } from '@dstft/windows';

export const cosinePower = defineDilationWindow({
  id: 'acme/cosine-power',
  continuousInTheta: true,
  defaults: { power: 4 },
  parameters: [
    { name: 'power', type: 'number', min: 2, max: 64, default: 4, description: 'exponent p of cos(πu)^p (2: Hann)' },
  ],
  // u is inside the support, so cos(πu) ≥ 0 and the real power is defined
  shape: (u, { power }) => Math.cos(Math.PI * u) ** power,
  dShape: (u, { power }) => -power * Math.PI * Math.cos(Math.PI * u) ** (power - 1) * Math.sin(Math.PI * u),
  meta: { name: '@acme/dstft-plugins', version: '1.0.0', description: 'power-of-cosine window' },
});
