import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a sibling module given without extension (`new URL('./x', import.meta.url)`
 * style base + name). From dist/ it loads the compiled .js; when esdlab runs from its TypeScript
 * sources (tests run through tsx), the worker registers tsx first, then imports the .ts file.
 */
export function startModuleWorker(base: string, name: string, workerData: unknown): Worker {
  const isTypeScript = base.endsWith('.ts');
  const url = new URL(`./${name}${isTypeScript ? '.ts' : '.js'}`, base);
  if (!isTypeScript) return new Worker(url, { workerData });
  const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(source, { eval: true, workerData });
}
