import type { BenchOutcome, Figures } from './lib.js';

/**
 * Benchmarks: `npm run bench -- <name> [options]`, or `npm run bench` for all of them in turn. They print
 * figures and never assert timings (machines are shared and noisy); a benchmark exits non-zero only when
 * its correctness checks fail. Run all at once, every figure is printed again as one JSON document at the
 * end (after a line `--- figures (JSON) ---`), for a dashboard.
 */
const BENCHES: Record<string, { summary: string; run: (argv: string[]) => Promise<BenchOutcome> }> = {
  sales: {
    summary: 'on-sale rush over HTTPS with client certificates until a 20 000-seat event is sold out, compared with pgbench -N',
    run: async (argv) => (await import('./sales.js')).runSalesBench(argv),
  },
  scale: {
    summary: 'the sales rush against one and against two server processes on one PostgreSQL server: orders/s of each and the ratio',
    run: async (argv) => (await import('./scale.js')).runScaleBench(argv),
  },
  print: {
    summary: 'ticket sheet PDF: ms per sheet (one sheet cold and warm, a 100-sheet job) and render + hand-over to a CUPS queue',
    run: async (argv) => (await import('./print.js')).runPrintBench(argv),
  },
  entry: {
    summary: 'entry: the station offline (scan list of 100 000, verdict incl. the fsynced journal write), then online (gates over HTTPS, pgbench ratio, list download); options go to the station part',
    run: async (argv) => {
      const offline = await (await import('./entry.js')).runEntryBench(argv);
      if (offline.code !== 0 || argv.includes('--help') || argv.includes('-h')) return offline;
      process.stdout.write('\n');
      const online = await (await import('./entry-online.js')).runEntryOnlineBench([]);
      return { code: online.code, figures: { offline: offline.figures, online: online.figures } };
    },
  },
  'entry-online': {
    summary: 'online entry: tickets sold and printed through the API, then gates check them in over HTTPS; check-ins/s, verdict latency, ratio to pgbench -N',
    run: async (argv) => (await import('./entry-online.js')).runEntryOnlineBench(argv),
  },
};

// `entry` runs `entry-online` too, so the whole set leaves the latter out.
const ALL = ['sales', 'scale', 'print', 'entry'];

function usage(): string {
  const lines = Object.entries(BENCHES).map(([name, b]) => `  ${name.padEnd(12)} ${b.summary}`);
  return ['usage: npm run bench -- <name> [options]   (<name> --help lists the options)', '       npm run bench   (all of them, then every figure as one JSON document)', '', 'benchmarks:', ...lines].join('\n');
}

async function runAll(): Promise<number> {
  const figures: Record<string, Figures | { failed: string }> = {};
  let code = 0;
  for (const name of ALL) {
    process.stdout.write(`\n=== bench ${name} ===\n`);
    try {
      const outcome = await BENCHES[name]!.run([]);
      figures[name] = outcome.figures;
      if (outcome.code !== 0) code = 1;
    } catch (error) {
      console.error(`bench ${name} failed: ${(error as Error).message ?? String(error)}`);
      figures[name] = { failed: (error as Error).message ?? String(error) };
      code = 1;
    }
  }
  process.stdout.write(`\n--- figures (JSON) ---\n${JSON.stringify({ at: new Date().toISOString(), node: process.version, benchmarks: figures }, null, 2)}\n`);
  return code;
}

const [name, ...rest] = process.argv.slice(2);
if (name === undefined) {
  runAll().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench failed: ${(error as Error).message ?? String(error)}`);
      process.exit(1);
    },
  );
} else {
  const bench = BENCHES[name];
  if (bench === undefined) {
    if (name !== '--help' && name !== '-h') console.error(`unknown benchmark: ${name}`);
    console.error(usage());
    process.exit(name === '--help' || name === '-h' ? 0 : 2);
  } else {
    bench.run(rest).then(
      (outcome) => process.exit(outcome.code),
      (error: unknown) => {
        console.error(process.env['BOXOFFICE_DEBUG'] === '1' ? error : `bench ${name} failed: ${(error as Error).message ?? String(error)}`);
        process.exit(1);
      },
    );
  }
}
