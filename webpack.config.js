// Builds our OHIF extension and mode as two self-contained ES modules for the prebuilt
// @ohif/app@3.13.2 dist (ohif-integration.md §1–2). `scripts/build-viewer.mjs` runs it.
const path = require('node:path');

const src = (p) => path.resolve(__dirname, p);

module.exports = (_env, argv) => ({
  mode: argv.mode ?? 'production',
  devtool: false,
  target: 'web',
  entry: {
    'cxr-extension': src('extension/src/index.ts'),
    'cxr-mode': src('mode/src/index.ts'),
  },
  // OHIF loads each URL with a native import() and reads its default export.
  experiments: { outputModule: true },
  output: {
    path: src('.viewer/plugins'),
    filename: '[name].js',
    module: true,
    library: { type: 'module' },
    chunkFormat: 'module',
    clean: false,
  },
  // The host's Cornerstone must be shared, never bundled: a second copy would have its own annotation
  // state, tool registry and rendering engines. They are read from window at first use, which is why the
  // cornerstone-dependent code is only reached through an eager import() in preRegistration.
  externalsType: 'window',
  externals: { '@cornerstonejs/core': 'cornerstone', '@cornerstonejs/tools': 'cornerstoneTools' },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        include: [src('extension/src'), src('mode/src')],
        // Our root package.json is "type": "commonjs"; force ESM parsing of our sources.
        type: 'javascript/esm',
        use: {
          loader: 'ts-loader',
          options: { configFile: src('extension/tsconfig.json'), onlyCompileBundledFiles: true },
        },
      },
    ],
  },
  // One file per entry: the bundles are served from /ohif-plugins/ and must not emit extra chunks.
  optimization: {
    splitChunks: false,
    runtimeChunk: false,
    minimize: (argv.mode ?? 'production') === 'production',
  },
  performance: { hints: false },
  stats: 'errors-warnings',
});
