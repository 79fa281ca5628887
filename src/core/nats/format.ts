/** Formats a byte count with binary units: `512 B`, `1.5 KiB`, `8.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Shortens a 56-character nkey public key to its first 8 characters and an ellipsis. */
export function shortKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}…` : key;
}

/** Formats how long ago `time` was, relative to `now`: `just now`, `5 min ago`, `3 h ago`, `12 days ago`. */
export function formatTimeAgo(time: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - time.getTime()) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  const days = Math.round(hours / 24);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** `1 message`, `3 messages`: a count with its noun in singular or plural. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
