/**
 * `import()` of an ES module the tool does not bundle: a config file by its URL,
 * an ES-only package (Graphviz). A plain `import()` in the sources; in the
 * bundled CLI the code runs as a `vm.Script` (core/cli/code-cache.ts), where
 * V8 cannot serve `import()` for functions that come from the code cache, so
 * the bundle's ES entry points and launcher hand in their own (`import()` of
 * an ES module beside the bundle, which resolves as the bundle would).
 */
export type ImportHost = (specifier: string) => Promise<unknown>;

let host: ImportHost = (specifier) => import(specifier);

/** Where `importEsm` imports from: set by the bundle's launcher and entry points. */
export function setImportHost(importer: ImportHost): void {
  host = importer;
}

export function importEsm(specifier: string): Promise<unknown> {
  return host(specifier);
}
