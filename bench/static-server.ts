import { spawn } from 'node:child_process';
import { devNull } from 'node:os';

/**
 * A plain static file server (node:http + fs, no auth) in its own process: the floor a cold resolve can
 * reach, to report beside the registry serving the same files. `url` ends with a slash. Every path it could
 * not answer is appended to `misses` when given, so a bench can prove it served all the client asked for.
 */
export async function staticServer(root: string, misses: string = devNull): Promise<{ url: string; stop: () => void }> {
  const script = `
    const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
    const [root, misses] = process.argv.slice(1);
    const server = http.createServer((req, res) => {
      const file = path.join(root, decodeURIComponent(req.url.split('?')[0]));
      if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { fs.appendFileSync(misses, req.url + '\\n'); res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-length': fs.statSync(file).size });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script, root, misses], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}
