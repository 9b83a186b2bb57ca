import type { Options } from 'tsup';
export declare function defineLibrary(opts?: {
  entry?: string[] | Record<string, string>;
  platform?: 'neutral' | 'node' | 'browser';
  external?: string[];
}): Options | Options[];
