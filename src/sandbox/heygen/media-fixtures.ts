/**
 * The files the sandbox's HeyGen hands out at its signed links: a real,
 * playable 3-second H.264 MP4 (320x180, no audio), an animated GIF and a
 * JPEG thumbnail, a few kB each. They live in `assets/sandbox/` at the
 * package root (tsc copies no non-TS files into `dist/`), found by walking up
 * from this module, so the same code reads them from `src/` and `dist/`.
 * Regenerate with ffmpeg (see `assets/sandbox/README.md`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MediaFixtures {
  mp4: Buffer;
  gif: Buffer;
  jpg: Buffer;
}

let loaded: MediaFixtures | undefined;

/** The package root: the nearest directory above this module with `assets/sandbox/`. */
function assetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'assets', 'sandbox');
    if (existsSync(join(candidate, 'video.mp4'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('sandbox media fixtures not found (assets/sandbox/ at the package root)');
    dir = parent;
  }
}

export function mediaFixtures(): MediaFixtures {
  if (!loaded) {
    const dir = assetsDir();
    loaded = {
      mp4: readFileSync(join(dir, 'video.mp4')),
      gif: readFileSync(join(dir, 'video.gif')),
      jpg: readFileSync(join(dir, 'thumbnail.jpg')),
    };
  }
  return loaded;
}
