/** Public API of @skystack/meas (filled in by its issue). */
export {};
