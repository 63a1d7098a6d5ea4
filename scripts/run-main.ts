/**
 * Runs a script's main function and exits with its outcome: stray handles (a pool, a native
 * runtime) must not keep a finished measuring script alive.
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
