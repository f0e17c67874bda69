// Copies the files `tsc` does not emit into dist/: the web dashboard and the OpenAPI document.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/kernel/jobmanager/http', { recursive: true });
cpSync('src/dashboard', 'dist/dashboard', { recursive: true });
cpSync('src/kernel/jobmanager/http/openapi.json', 'dist/kernel/jobmanager/http/openapi.json');
