/** Public API of @skystack/isr (filled in by its issue). */
export {};
