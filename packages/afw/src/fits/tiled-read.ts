export async function readCompressedImage(..._a: unknown[]): Promise<never> { throw new Error("todo"); }
