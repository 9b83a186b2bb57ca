// Scaffolds a published package: node tooling/scripts/new-package.mjs <name> "<description>" [dep ...]
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: new-package.mjs <name> "<description>" [@dstft/dep ...]');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`packages/${name} exists already`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
const pkg = {
  name: `@dstft/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  files: ['dist'],
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  engines: { node: '>=20' },
  publishConfig: { access: 'public' },
  scripts: {
    build: 'tsup',
    typecheck: 'tsc --noEmit',
    lint: 'eslint .',
    test: 'vitest run',
  },
  dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:^'])),
  devDependencies: {
    '@dstft/eslint-config': 'workspace:*',
    '@dstft/tsconfig': 'workspace:*',
    '@dstft/tsup-config': 'workspace:*',
    '@dstft/vitest-config': 'workspace:*',
    eslint: 'catalog:',
    tsup: 'catalog:',
    typescript: 'catalog:',
    vitest: 'catalog:',
  },
};
writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: '@dstft/tsconfig/library.json', include: ['src'] }, null, 2) + '\n',
);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  "import { defineLibrary } from '@dstft/tsup-config';\n\nexport default defineLibrary();\n",
);
writeFileSync(
  join(dir, 'vitest.config.ts'),
  `import { project } from '@dstft/vitest-config';\n\nexport default project('${name}');\n`,
);
writeFileSync(
  join(dir, 'eslint.config.js'),
  `import { config } from '@dstft/eslint-config';\n\nexport default config({ pkg: '${name}' });\n`,
);
writeFileSync(join(dir, 'src', 'index.ts'), 'export {};\n');
copyFileSync('LICENSE', join(dir, 'LICENSE'));
console.log(`created packages/${name}`);
