// esbuild replaces PACKAGE_VERSION with the manifest's version at build time.
declare const PACKAGE_VERSION: string | undefined;

/** The product version, or `0.0.0-dev` when running unbundled (unit tests). */
export const productVersion: string = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';
