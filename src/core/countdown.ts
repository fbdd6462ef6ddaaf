/**
 * How long until something is due (a beacon draw's drand round), as a person reads a countdown:
 * "in 1 min 05 s", "in 42 s", "due now". Shared by the terminal and the room's screen.
 */
export function countdownText(msLeft: number): string {
  const seconds = Math.ceil(msLeft / 1000);
  if (seconds <= 0) return 'due now';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0
    ? `in ${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
    : `in ${seconds} s`;
}
