// @dstft/plot: raster figures without a DOM or native dependencies. Everything draws into an RGBA `Image`
// (the layout of the browser's ImageData) and `encodePng` turns one into PNG bytes. No Node-only imports: the
// same code runs in browsers.
export type { Color } from './color.js';
export { parseColor, DEFAULT_LINE_COLORS } from './color.js';
export type { Image } from './image.js';
export { createImage, fillRect, blit, MAX_PIXELS } from './image.js';
export type { Colormap, ColormapName } from './colormap.js';
export { colormap, createColormap, COLORMAP_NAMES } from './colormap.js';
export type { TextOptions, TextStyle, TextBox } from './text.js';
export { drawText, measureText, FONT_CHARS, GLYPH_WIDTH, GLYPH_HEIGHT } from './text.js';
export type { FormatTicksOptions } from './ticks.js';
export { niceTicks, logTicks, formatTicks } from './ticks.js';
export type { PngFilter, PngOptions } from './png.js';
export { encodePng, crc32 } from './png.js';
export type { StackOptions, TitleOptions } from './layout.js';
export { hstack, vstack, withTitle } from './layout.js';
export type { Figure, PlotArea, ColorbarArea, FigureOptions, NumberList } from './figure.js';
export type { HeatmapOptions } from './heatmap-options.js';
export type { SpectrogramFigureOptions } from './spectrogram-figure.js';
export { spectrogramFigure } from './spectrogram-figure.js';
export type { MapFigureOptions } from './map-figure.js';
export { mapFigure } from './map-figure.js';
export type { LineSeries, LineFigureOptions, LegendPosition, MarkerShape } from './line-figure.js';
export { lineFigure } from './line-figure.js';
export type { OverlayOptions } from './overlay.js';
export { overlayLine } from './overlay.js';
