// The engine's worker (src/worker.rs): the page sends the URL of its JS glue and the wasm
// module it has compiled; started here, the app's `main` sees a worker and serves the page's
// jobs (checks and runs) instead of rendering.
self.onmessage = async (e) => {
  self.onmessage = null;
  const { glue, module } = e.data;
  const app = await import(glue);
  await app.default({ module_or_path: module });
};
