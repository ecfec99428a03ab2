import type { Command } from 'commander';

type Registrar = { register: (program: Command) => void };

/**
 * Each subcommand lives in its own file and registers itself; listed here in the order `--help`
 * shows them. Loaded on demand: the run and serve modules pull in both CRM SDKs, the store and
 * express (about 1.3 s of start-up under tsx), which `evaluate` or `score` never use; those load
 * the engines, the config and the CSV code instead. Every command registers from a `-command` file
 * that holds only its flags and help and imports the rest when the command runs, so
 * `leadlift --help` and usage errors load none of it.
 */
const loaders: Array<[name: string, load: () => Promise<Registrar>]> = [
  ['evaluate', () => import('./evaluate-command.js')],
  ['train', () => import('./train-command.js')],
  ['score', () => import('./score-command.js')],
  ['bench', () => import('./bench-command.js')],
  ['sandbox', () => import('./sandbox-command.js')],
  ['run', () => import('./run-command.js')],
  ['serve', () => import('./serve-command.js')],
  ['start', () => import('./start-command.js')],
  ['forget', () => import('./forget-command.js')],
  ['prune', () => import('./prune-command.js')],
  ['status', () => import('./status-command.js')],
];

/**
 * The registrars `argv` needs: only the named command's when the first argument names one (so
 * its help, errors and run are exactly as when all are loaded), every command's otherwise
 * (`--help`, `help`, a misspelt command that commander suggests a name for), none for a leading
 * `--version`, which commander answers before it looks at any command.
 */
export async function commandsFor(argv: string[]): Promise<Array<(program: Command) => void>> {
  if (argv[2] === '--version' || argv[2] === '-V') return [];
  const named = loaders.find(([name]) => name === argv[2]);
  const chosen = named ? [named] : loaders;
  const modules = await Promise.all(chosen.map(([, load]) => load()));
  return modules.map((m) => m.register);
}
