// The conformance suite, run on every built-in window of @dstft/windows (the dependency points from the
// test kit down to the windows, so @dstft/windows needs no dependency on @dstft/testing).
import { blackman, gaussian, hamming, hann, kaiser } from '@dstft/windows';
import { describeWindowPlugin } from '../src/index.js';

describeWindowPlugin(hann);
describeWindowPlugin(blackman);
describeWindowPlugin(hamming);
describeWindowPlugin(gaussian);
describeWindowPlugin(gaussian, { params: { sigma: 0.3 }, seed: 11 });
describeWindowPlugin(kaiser);
describeWindowPlugin(kaiser, { params: { beta: 0 }, seed: 12 });
describeWindowPlugin(kaiser, { params: { beta: 14 }, seed: 13, thetas: [2, 512] });
