/** The command that replays a run exactly: the same arguments, the seed pinned, invariant checks on. */
export function replayCommand(argv: readonly string[], seed: number | undefined): string {
  const args = argv.filter((a) => a !== "--force");
  if (seed !== undefined && !args.includes("--seed")) args.push("--seed", String(seed));
  if (!args.includes("--check")) args.push("--check");
  const quote = (a: string) => (/^[\w./=:@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return `npm run sim -- ${args.map(quote).join(" ")}`;
}
