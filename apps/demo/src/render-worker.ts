/**
 * Draws the figures off the main thread: the page posts a figure function's arguments, this worker returns the
 * Figure (pixels transferred, with its plot area and colour bar). Drawing a spectrogram figure takes tens of
 * milliseconds; done here, the page's own tasks stay short while the optimization streams updates.
 */
import { lineFigure, mapFigure, spectrogramFigure, type Figure } from '@dstft/plot';

export type RenderJob =
  | { fn: 'spectrogram'; args: Parameters<typeof spectrogramFigure> }
  | { fn: 'line'; args: Parameters<typeof lineFigure> }
  | { fn: 'map'; args: Parameters<typeof mapFigure> };
export type RenderRequest = RenderJob & { id: number };
export type RenderReply = { id: number; figure: Figure } | { id: number; error: string };

interface RenderScope {
  postMessage(message: RenderReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<RenderRequest>) => void) | null;
}
const scope = self as unknown as RenderScope;

function render(job: RenderJob): Figure {
  switch (job.fn) {
    case 'spectrogram':
      return spectrogramFigure(...job.args);
    case 'line':
      return lineFigure(...job.args);
    case 'map':
      return mapFigure(...job.args);
  }
}

scope.onmessage = (event) => {
  const { id } = event.data;
  try {
    const figure = render(event.data);
    scope.postMessage({ id, figure }, [figure.data.buffer as ArrayBuffer]);
  } catch (e) {
    scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
