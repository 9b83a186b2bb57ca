import { project } from '@dstft/vitest-config';

export default project('node-io');
