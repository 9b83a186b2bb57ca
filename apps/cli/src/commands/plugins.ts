import type { CommandSpec } from './types.js';

export const plugins: CommandSpec = {
  name: 'plugins',
  summary: 'list the plugins the registry holds (built-ins and --plugin packages): windows, losses, regularizers, optimizers, tasks, FFT backends',
  examples: [
    ['dstft plugins', 'every plugin by kind'],
    ['dstft plugins --kind window', 'the windows only'],
    ['dstft plugins --plugin @acme/dstft-window-kaiser', 'with a third-party package loaded'],
    ['dstft plugins --json', 'as JSON'],
  ],
  define(cmd) {
    return cmd.option('--kind <kind>', 'window | loss | regularizer | optimizer | task | fft');
  },
  async run(ctx, _args, opts) {
    const kinds = opts.kind ? [opts.kind as string] : ctx.registry.kinds();
    const unknown = kinds.filter((k) => !ctx.registry.kinds().includes(k));
    if (unknown.length) {
      const { UsageError } = await import('../errors.js');
      throw new UsageError(`--kind = "${unknown[0]}": unknown plugin kind. Fix: use one of ${ctx.registry.kinds().join(', ')}`);
    }
    const list: Record<string, { id: string; package?: string; version?: string; description?: string }[]> = {};
    for (const kind of kinds) {
      list[kind] = ctx.registry.list(kind).map((p) => ({
        id: p.id,
        ...(p.meta?.name ? { package: p.meta.name } : {}),
        ...(p.meta?.version ? { version: p.meta.version } : {}),
        ...(p.meta?.description ? { description: p.meta.description } : typeof (p as unknown as { description?: unknown }).description === 'string' ? { description: (p as unknown as { description: string }).description } : {}),
      }));
      ctx.log(`${kind} (${list[kind]!.length}):`);
      for (const p of list[kind]!) ctx.log(`  ${p.id.padEnd(18)} ${p.package ? `${p.package}${p.version ? `@${p.version}` : ''}` : ''}${p.description ? `  ${p.description}` : ''}`.trimEnd());
    }
    ctx.result({ ok: true, command: 'plugins', plugins: list });
  },
};
