// Winners' names in large letters, for a screen at the back of a room. figlet draws them; it is
// used in its browser build with one built-in font, so that nothing is read from disk at run time.

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * The name drawn in large letters, or undefined when it cannot be: characters the font lacks
 * (most of the world's names), or a result wider than the terminal. Callers then print it plainly.
 */
export async function bigText(text: string, columns: number): Promise<string | undefined> {
  if (!PRINTABLE_ASCII.test(text)) return undefined;
  const [{ default: figlet }, { default: standard }] = await Promise.all([
    import('figlet/browser'),
    import('figlet/fonts/Standard'),
  ]);
  figlet.parseFont('Standard', standard);
  const art = figlet.textSync(text, { font: 'Standard' }).replace(/\s+$/gm, '');
  const lines = art
    .split('\n')
    .filter((line, index, all) => line.trim() !== '' || (index > 0 && index < all.length - 1));
  return lines.every((line) => line.length <= columns) ? lines.join('\n') : undefined;
}
