/**
 * Output names: a file's format follows its extension, or the name is refused before any work (a usage error
 * naming the extension and the accepted ones: `-o out.jpg` must not write PNG bytes); a folder output refuses a
 * name that looks like a file of a format the CLI writes (`dstft optimize -o out.png` means a mistake, not a
 * folder called out.png).
 */
import { extname } from 'node:path';
import { UsageError } from './errors.js';

/** What the commands write, by extension. */
export const FILE_FORMATS: Readonly<Record<string, string>> = {
  '.png': 'PNG figure',
  '.json': 'JSON',
  '.csv': 'CSV',
  '.wav': 'WAV audio',
  '.dstft': 'saved transform',
};

/**
 * Checks that `path` (the value of `flag`) ends with one of `accepted` (lowercase, with the dot); returns the
 * extension found. E.g. `checkOutputExtension('out.jpg', '-o/--out', ['.png'], 'the figure')` throws
 * `-o/--out = "out.jpg": the figure is written as PNG, not ".jpg". Fix: name it out.png`.
 */
export function checkOutputExtension(path: string, flag: string, accepted: readonly string[], what: string): string {
  const ext = extname(path).toLowerCase();
  if (accepted.includes(ext)) return ext;
  const kinds = accepted.map((e) => `${e} (${FILE_FORMATS[e] ?? e.slice(1)})`).join(' or ');
  const stem = ext ? path.slice(0, -ext.length) : path;
  const suggestion = `${stem || 'out'}${accepted[0]}`;
  throw new UsageError(
    `${flag} = "${path}": ${ext ? `unsupported extension "${ext}"` : 'no extension'}; ${what} is written as ${kinds}. Fix: name it ${suggestion}${accepted.length > 1 ? ` (or another of ${accepted.join(', ')})` : ''}`,
  );
}

/** A folder output (`-o/--out <dir>` of optimize, grid, track, reproduce): refuses names ending in a file extension the CLI writes. */
export function checkOutputFolder(path: string, flag: string, command: string, writes: string): string {
  const ext = extname(path).toLowerCase();
  if (ext in FILE_FORMATS) {
    throw new UsageError(`${flag} = "${path}": \`dstft ${command}\` writes a folder (${writes}), and "${ext}" names a ${FILE_FORMATS[ext]} file. Fix: pass a folder name, e.g. ${flag.split('/').pop()} ${path.slice(0, -ext.length) || 'out'}`);
  }
  return path;
}
