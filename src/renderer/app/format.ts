/** "7:59 h" for hours left, "4:05 min" below one hour: what the header shows for the session. */
export function formatTimeLeft(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')} h`;
  return `${minutes}:${String(seconds).padStart(2, '0')} min`;
}
