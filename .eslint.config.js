import neostandard from 'neostandard'
import importX from 'eslint-plugin-import-x'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules', 'coverage', '.tap', 'data', 'openapi', 'dist'] }),
  // No import cycle in the service: modules depend one way (issue 14 broke listings ↔ producers ↔ evaluations).
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/extensions': ['.ts', '.js'], 'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] } },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  }
]
