import type { Command } from 'commander';

type Registrar = { register: (program: Command) => void };

/**
 * Each subcommand lives in its own file and registers itself; listed here in the order `--help`
 * shows them. Loaded on demand: the run and serve modules pull in both CRM SDKs, the store and
 * express (about 1.3 s of start-up under tsx), which `evaluate` or `score` never use.
 */
const loaders: Array<[name: string, load: () => Promise<Registrar>]> = [
  ['evaluate', () => import('./evaluate.js')],
  ['train', () => import('./train.js')],
  ['score', () => import('./score.js')],
  ['bench', () => import('./bench.js')],
  ['sandbox', () => import('./sandbox.js')],
  ['run', () => import('./run.js')],
  ['serve', () => import('./serve.js')],
  ['start', () => import('./start.js')],
  ['forget', () => import('./forget.js')],
  ['prune', () => import('./prune.js')],
];

/**
 * The registrars `argv` needs: only the named command's when the first argument names one (so
 * its help, errors and run are exactly as when all are loaded), every command's otherwise
 * (`--help`, `help`, `--version`, a misspelt command that commander suggests a name for).
 */
export async function commandsFor(argv: string[]): Promise<Array<(program: Command) => void>> {
  const named = loaders.find(([name]) => name === argv[2]);
  const chosen = named ? [named] : loaders;
  const modules = await Promise.all(chosen.map(([, load]) => load()));
  return modules.map((m) => m.register);
}
