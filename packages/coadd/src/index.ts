/** Public API of @skystack/coadd (filled in by its issue). */
export {};
