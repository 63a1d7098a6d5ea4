export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__TEST_SERVICES__;
  await Promise.all([services?.temporal?.stop(), services?.pg?.stop()]);
}
