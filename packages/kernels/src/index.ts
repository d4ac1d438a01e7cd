/** Public API of @skystack/kernels (filled in by its issue). */
export {};
