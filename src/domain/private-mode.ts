/**
 * File modes for what holds CRM data (the store, scored CSVs, model files): on a shared host no
 * other local user may read it. Passed at creation rather than set through process.umask(),
 * which worker threads (the local sandbox) cannot call and which would change the mode of every
 * other file the process creates meanwhile.
 */
export const PRIVATE_FOLDER = 0o700;
export const PRIVATE_FILE = 0o600;
