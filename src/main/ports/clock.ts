/** Time for every station rule (certificate validity, retries), injectable so tests can move it. */
export interface Clock {
  now(): Date;
}

export function createSystemClock(): Clock {
  return { now: () => new Date() };
}
