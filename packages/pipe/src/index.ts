/** Public API of @skystack/pipe (filled in by its issue). */
export {};
