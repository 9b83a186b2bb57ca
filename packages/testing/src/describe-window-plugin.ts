/**
 * `describeWindowPlugin(plugin, options?)`: a vitest conformance suite for any window plugin (built-in or
 * third-party). Call it at the top level of a test file.
 */
import { NORMALIZATIONS, type WindowParams, type WindowPlugin } from '@dstft/core';
import { describe, it } from 'vitest';
import {
  checkFrameWindow,
  checkWindowBounds,
  checkWindowDerivatives,
  checkWindowEdgeContinuity,
  checkWindowFiniteness,
  checkWindowGrid,
  checkWindowParameters,
  checkWindowRegistration,
  checkWindowSupport,
  type CheckReport,
  type WindowCheckOptions,
} from './window-checks.js';

export interface DescribeWindowPluginOptions<P extends WindowParams = WindowParams> extends WindowCheckOptions<P> {
  /** Title of the `describe` block (default `window plugin <id>` plus the options). */
  name?: string;
}

/** Throws an Error with the report's message when the report is not ok. */
export function assertReport(r: CheckReport): void {
  if (!r.ok) throw new Error(r.message);
}

/**
 * Declares a vitest suite that checks a window plugin's conformance: registration, values, symmetry, both derivatives
 * against finite differences, declared parameters. Call it at the top level of a test file.
 */
export function describeWindowPlugin<P extends WindowParams>(plugin: WindowPlugin<P>, options: DescribeWindowPluginOptions<P> = {}): void {
  const title = options.name ?? `window plugin ${plugin.id}${options.params ? ` ${JSON.stringify(options.params)}` : ''}`;
  describe(title, () => {
    it('is well-formed and registers in a fresh registry (override: false)', () => {
      assertReport(checkWindowRegistration(plugin, options));
    });
    it.skipIf(plugin.parameters === undefined)('declares its parameters (optional): well-formed, defaults in range, range ends accepted, outside refused', () => {
      assertReport(checkWindowParameters(plugin, options));
    });
    it('writes only [start, end), never x, and leaves null dTheta / dX alone', () => {
      assertReport(checkWindowBounds(plugin, options));
    });
    it('is 0 with 0 derivatives outside [-h, h), h = supportHalfWidth(θ)', () => {
      assertReport(checkWindowSupport(plugin, options));
    });
    it('is finite for θ over the range and x over the whole frame', () => {
      assertReport(checkWindowFiniteness(plugin, options));
    });
    it('∂w/∂θ and ∂w/∂x match central finite differences (rtol 1e-6)', () => {
      assertReport(checkWindowDerivatives(plugin, options));
    });
    it('continuousInTheta agrees with the values at the support edge', () => {
      assertReport(checkWindowEdgeContinuity(plugin, options));
    });
    it.skipIf(plugin.evaluateGrid === undefined)(`evaluateGrid (optional) agrees with evaluate on uniform grids (${options.gridTol ?? 1e-13})`, () => {
      assertReport(checkWindowGrid(plugin, options));
    });
    for (const nFft of options.nFfts ?? [16, 17, 64]) {
      for (const norm of NORMALIZATIONS) {
        it(`FrameWindow nFft = ${nFft}, ${norm}: dTheta and dX match finite differences of sample()`, () => {
          assertReport(checkFrameWindow(plugin, nFft, norm, options));
        });
      }
    }
  });
}
