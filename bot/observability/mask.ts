/** `+15555550100` -> `+1******0100`: enough to tell two callers apart in a log, not to call them. */
export function maskCallerId(callerId: string): string {
  const chars = [...callerId];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  const keepStart = callerId.startsWith('+') ? 2 : 0;
  const keepEnd = 4;
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(chars.length - keepStart - keepEnd) + chars.slice(-keepEnd).join('');
}
