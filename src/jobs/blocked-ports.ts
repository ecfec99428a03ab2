/**
 * Ports the Fetch standard blocks (https://fetch.spec.whatwg.org/#port-blocking, "bad ports"):
 * browsers refuse to open pages there, and Node's own fetch (undici, the same list) refuses to
 * connect. The admin pages on one would not open; a sandbox on one would serve the SDKs (they use
 * axios and node-fetch, which do not check) while the server's own fetch calls to it fail with
 * "bad port", so the Connections page quietly lost its sandbox note and Connect button. None is
 * in Linux's range of ports handed out for port 0 (32768-60999), so "any free port" never gets one.
 */
const BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123,
  135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995,
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Why `setting` (e.g. "PORT", "--port") cannot be `port`, or null when it can. */
export function blockedPortProblem(port: number, setting: string): string | null {
  if (!BAD_PORTS.has(port)) return null;
  return `${setting} ${port} is a port browsers and Node's fetch refuse to connect to (one of the Fetch standard's blocked ports, such as 4190 and 6000), so leadlift's pages and its own calls there would fail. Pick another port, e.g. ${port + 1}.`;
}
