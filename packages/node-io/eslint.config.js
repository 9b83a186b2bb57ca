import { config } from '@dstft/eslint-config';

export default config({ pkg: 'node-io' });
