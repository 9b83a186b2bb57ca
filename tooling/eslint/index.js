// Shared ESLint flat config. Besides the usual TypeScript rules it enforces the dependency
// direction of the monorepo (docs/architecture.md §2): a package may import only packages of a lower layer,
// never another package's src/, and fft.js only inside packages/kernel/src/fft/.
import tseslint from 'typescript-eslint';

/** Layer of each workspace package (folder name = package name without the scope). */
export const LAYERS = {
  core: 0,
  windows: 1,
  losses: 1,
  optim: 1,
  plot: 1,
  kernel: 1,
  'fft-pffft': 1,
  wav: 1,
  backprop: 2,
  tracking: 1,
  dstft: 4,
  testing: 4,
  'node-io': 2,
  parallel: 5,
  experiments: 5,
  tfjs: 5,
};

/** Packages that run on Node only (they may import node: modules). Everything else also runs in browsers. */
const NODE_ONLY = new Set(['parallel', 'node-io', 'experiments']);

/** The apps (apps/*): they import packages, never each other (shared code belongs in a package). */
export const APPS = ['cli', 'demo', 'cnn-example'];

/** Packages a layer-1 package may use besides core (none: they are siblings). */
function forbiddenFor(pkg) {
  const mine = LAYERS[pkg];
  if (mine === undefined) return APPS.filter((a) => a !== pkg).map((a) => `@dstft/${a}`); // apps: any package, no other app
  return Object.entries(LAYERS)
    .filter(([name, layer]) => name !== pkg && layer >= mine)
    .map(([name]) => `@dstft/${name}`);
}

function restriction(pkg, { allowFft = false, allowNode = false, allowLayers = false } = {}) {
  const paths = (allowLayers ? [] : forbiddenFor(pkg)).map((name) => ({
    name,
    message: APPS.includes(pkg)
      ? `app rule: @dstft/${pkg} may not import the app ${name} (see docs/architecture.md §2; move shared code into a package)`
      : `layer rule: @dstft/${pkg} may not import ${name} (see docs/architecture.md §2; move shared code down a layer)`,
  }));
  if (!allowFft) {
    paths.push({
      name: 'fft.js',
      message: 'fft.js is wrapped once, in @dstft/kernel src/fft/; use its FftPlan instead',
    });
  }
  return [
    'error',
    {
      paths,
      patterns: [
        {
          group: ['@dstft/*/src', '@dstft/*/src/**', '../../*/src/**', '../../../packages/**'],
          message: 'import a package by its name, never its src/',
        },
        ...(allowNode || LAYERS[pkg] === undefined || NODE_ONLY.has(pkg)
          ? []
          : [
              {
                group: ['node:*', 'fs', 'path', 'os', 'url', 'worker_threads', 'child_process'],
                message: 'published packages run in browsers too: keep Node-only code in tests, benches, apps, or a separate node entry',
              },
            ]),
      ],
    },
  ];
}

/**
 * @param {{ pkg: string }} opts folder name of the package (e.g. 'kernel') or of the app
 */
export function config({ pkg }) {
  return tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', '*.config.*'] },
    ...tseslint.configs.recommended,
    {
      files: ['**/*.ts'],
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        'no-restricted-imports': restriction(pkg),
        // size limits, as warnings: a function past them is a place to split (named job objects instead of long
        // parameter lists); a numeric inner loop that is clearer in one piece may stay, with a comment saying why
        'max-params': ['warn', { max: 6 }],
        'max-lines-per-function': ['warn', { max: 120, skipBlankLines: true, skipComments: true }],
      },
    },
    pkg === 'kernel'
      ? { files: ['src/fft/**/*.ts'], rules: { 'no-restricted-imports': restriction(pkg, { allowFft: true }) } }
      : {},
    {
      // Tests, fixtures and benches run on Node only, and may use any workspace package they list as a
      // devDependency (e.g. @dstft/testing's checkers from a lower layer); turbo still rejects real cycles.
      files: ['**/*.test.ts', '**/*.fixture.ts', '**/*.test-support.ts', 'test/**/*.ts', 'bench/**'],
      rules: { 'no-restricted-imports': restriction(pkg, { allowFft: true, allowNode: true, allowLayers: true }), 'max-lines-per-function': 'off' },
    },
  );
}
