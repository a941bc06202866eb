/**
 * Benchmarks: `npm run bench -- <name> [options]`. They print figures and never assert timings (machines
 * are shared and noisy); a benchmark exits non-zero only when its correctness checks fail.
 */
const BENCHES: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  sales: {
    summary: 'on-sale rush over HTTPS with client certificates until a 20 000-seat event is sold out, compared with pgbench -N',
    run: async (argv) => (await import('./sales.js')).runSalesBench(argv),
  },
  print: {
    summary: 'ticket sheet PDF: ms per sheet (one sheet cold and warm, a 100-sheet job) and render + hand-over to a CUPS queue',
    run: async (argv) => (await import('./print.js')).runPrintBench(argv),
  },
  entry: {
    summary: 'entry: the station offline (scan list of 100 000, verdict incl. the fsynced journal write), then online (gates over HTTPS, pgbench ratio, list download); options go to the station part',
    run: async (argv) => {
      const offline = await (await import('./entry.js')).runEntryBench(argv);
      if (offline !== 0 || argv.includes('--help') || argv.includes('-h')) return offline;
      process.stdout.write('\n');
      return (await import('./entry-online.js')).runEntryOnlineBench([]);
    },
  },
  'entry-online': {
    summary: 'online entry: tickets sold and printed through the API, then gates check them in over HTTPS; check-ins/s, verdict latency, ratio to pgbench -N',
    run: async (argv) => (await import('./entry-online.js')).runEntryOnlineBench(argv),
  },
};

function usage(): string {
  const lines = Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(12)} ${b.summary}`);
  return ['usage: npm run bench -- <name> [options]   (<name> --help lists the options)', '', 'benchmarks:', ...lines].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined) {
  if (name !== undefined && name !== '--help' && name !== '-h') console.error(`unknown benchmark: ${name}`);
  console.error(usage());
  process.exit(name === '--help' || name === '-h' ? 0 : 2);
} else {
  bench.run(rest).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(process.env['BOXOFFICE_DEBUG'] === '1' ? error : `bench ${name} failed: ${(error as Error).message ?? String(error)}`);
      process.exit(1);
    },
  );
}
