import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const publicDir = fileURLToPath(new URL('../public', import.meta.url));
/** chart.js is served from our own node_modules: the pages load nothing from a CDN. */
const chartJsFile = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

export function staticRoutes(): Router {
  const router = Router();
  router.get('/static/chart.umd.js', (_req, res) => res.sendFile(chartJsFile, { maxAge: '1d' }));
  router.use('/static', express.static(publicDir, { maxAge: '1h', index: false, fallthrough: false }));
  return router;
}
