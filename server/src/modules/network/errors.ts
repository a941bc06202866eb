/** A network list, country code or GeoIP file that cannot be used; raised at start, never per request. */
export class NetworkConfigError extends Error {
  readonly code = 'NETWORK_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkConfigError';
  }
}
