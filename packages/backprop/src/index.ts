export {
  stftForwardWithState,
  stftBackward,
  type Upstream,
  type BackwardOptions,
  type StftGradients,
} from './stft-vjp.js';
export { magnitudeVjp } from './magnitude-vjp.js';
