/** Public API of @skystack/obs-sdss (filled in by its issue). */
export {};
