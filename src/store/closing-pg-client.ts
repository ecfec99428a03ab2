import pg from 'pg';

type ConnectCallback = ((err: Error) => void) | ((err: null, c: pg.Client) => void);

/**
 * A pg client that closes its socket when connecting fails. pg (8.23) leaves the socket open
 * when the failure is its own rather than the server's: with a DATABASE_URL without a password,
 * a SCRAM server asks for one, pg throws "client password must be a string" and reports it, but
 * the server keeps waiting for the answer (until its authentication_timeout, a minute by default).
 * pg-pool drops such a client without ending it, so that socket alone kept `leadlift run` alive
 * after printing the error, piling up cron runs. Ending it here lets the process exit at once.
 */
export class ClosingClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
    if (!callback) {
      return super.connect().catch((err: unknown) => {
        this.closeQuietly();
        throw err;
      });
    }
    super.connect((err: Error | null) => {
      if (err) this.closeQuietly();
      (callback as (err: Error | null, c?: pg.Client) => void)(err, err ? undefined : this);
    });
  }

  private closeQuietly(): void {
    // Not awaited: the caller already has its error; the close only has to free the socket.
    this.end().catch(() => undefined);
  }
}
