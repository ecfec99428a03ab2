/**
 * A reader that stops early (`leadlift score --help | head`, `evaluate --json | head -c 200`)
 * closes stdout under the CLI, and Node reports the next write as an unhandled EPIPE, a stack
 * trace and exit 1, for what the user did on purpose. What is left to print has no reader: it is
 * dropped, and the command still finishes its work (a scoring run is not cut short by a pager).
 */
export function ignoreClosedStdout(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
