export {
  stftForwardWithState,
  recordForwardState,
  stftBackward,
  prepareBackward,
  finishBackward,
  backwardFrames,
  contributionLength,
  reduceThetaContributions,
  positionsVjp,
  type PositionsVjp,
  type BackwardJob,
  type UpstreamView,
  type ForwardState,
  type Upstream,
  type BackwardOptions,
  type StftGradients,
} from './stft-vjp.js';
export { magnitudeVjp } from './magnitude-vjp.js';
