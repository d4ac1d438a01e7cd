/** Public API of @skystack/obs-cfht (filled in by its issue). */
export {};
