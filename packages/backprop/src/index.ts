export {
  stftForwardWithState,
  recordForwardState,
  stftBackward,
  prepareBackward,
  finishBackward,
  backwardFrames,
  contributionLength,
  reduceThetaContributions,
  type BackwardJob,
  type UpstreamView,
  type ForwardState,
  type Upstream,
  type BackwardOptions,
  type StftGradients,
} from './stft-vjp.js';
export { magnitudeVjp } from './magnitude-vjp.js';
