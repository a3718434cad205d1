// ESLint flat config: typescript-eslint's recommended rules plus the size limits the codebase keeps
// (lines ≤ 120 characters, functions ≤ 80 lines, cyclomatic complexity ≤ 20). Run by `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const sizeLimits = {
  'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
  'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
  complexity: ['error', 20],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.viewer/**',
      'var/**',
      'dist/**',
      '**/*.d.ts',
      'models/**',
      'extension/dist/**',
      'mode/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...sizeLimits,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering (issue 16/18): the analysis, dialogue and report code is runtime-neutral; models run
    // behind the ModelRunner interface of server/src/inference (onnxruntime-node or onnxruntime-web).
    files: ['server/src/analysis/**/*.ts', 'server/src/dialogue/**/*.ts', 'server/src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common'].map((name) => ({
            name,
            message: 'run models through server/src/inference (one inference unit per model)',
          })),
          patterns: [{ group: ['**/inference/nodeRunner', '**/inference/wasmRunner'], message: 'use runnerFactory' }],
        },
      ],
    },
  },
  {
    // CommonJS by necessity: webpack loads its config with require(), and worker threads load the plain
    // JavaScript boot file, which must require() tsx's hook before the TypeScript worker body.
    files: ['webpack.config.js', 'server/src/imaging/decodeWorkerBoot.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Test bodies are tables and scenarios; their length is not a design smell, their width is. The
    // fixtures that tests and scripts share (synthetic DICOM, lesions, bombs) live in scripts/lib.
    files: ['tests/**/*.ts', 'scripts/lib/**/*.ts'],
    rules: { 'max-lines-per-function': 'off', complexity: 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
