// A third-party window package as a user would write it: its default export goes to each thread's registry.
import { defineDilationWindow } from '@dstft/dstft';

export default defineDilationWindow({
  id: 'acme/cosine',
  continuousInTheta: true,
  shape: (u) => Math.cos(Math.PI * u) ** 2,
  dShape: (u) => -Math.PI * Math.sin(2 * Math.PI * u),
});
