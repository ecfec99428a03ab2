import type { Command } from 'commander';
import { register as evaluate } from './evaluate.js';
import { register as score } from './score.js';
import { register as train } from './train.js';
import { register as bench } from './bench.js';
import { register as sandbox } from './sandbox.js';
import { register as run } from './run.js';
import { register as serve } from './serve.js';
import { register as start } from './start.js';
import { register as forget } from './forget.js';
import { register as prune } from './prune.js';

/** Each subcommand lives in its own file and registers itself here. */
export const commands: Array<(program: Command) => void> = [evaluate, train, score, bench, sandbox, run, serve, start, forget, prune];
