export interface ProbeOptions {
  /** The whole request, connect to last byte; the request is aborted when it runs out. */
  readonly timeoutInMs: number;
  /**
   * host:port to connect to instead of what DNS says, keeping SNI and Host = the app's host name: for private DNS
   * setups (the app reached through a private endpoint's IP) and the local simulator.
   */
  readonly connectAddress?: string;
  /** Extra CA certificates (PEM) to trust, e.g. a TLS-inspecting proxy's or the simulator's. */
  readonly caPem?: string;
  /** A Microsoft Entra access token for Kudu (the scm site); Kudu answers 401 without one. */
  readonly token?: () => Promise<string>;
}
