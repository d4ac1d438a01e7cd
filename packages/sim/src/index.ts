/** Public API of @skystack/sim (filled in by its issue). */
export {};
