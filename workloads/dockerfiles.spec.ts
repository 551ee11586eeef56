// Static checks of the barrage Dockerfiles (no Docker on this machine, so nothing is built here): multi-stage, a
// non-root numeric UID in 10000–10999 (Function Compute's rule), every COPY source present in the repository and
// not excluded by .dockerignore, the bundled entry = the one workloads/images.ts maps the image to, port 8080, and
// every repository source the entry imports (esbuild's own import graph) copied into the build stage.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleBanner } from './bundle-banner';
import { barrageImages } from './images';

const root = fileURLToPath(new URL('../', import.meta.url));

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Dockerfile → stages of instructions (comments dropped, `\` continuations joined). */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`${keyword} before FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** Sources of a COPY without --from (paths in the build context); JSON form not used here. */
function copySources(instruction: Instruction): string[] {
  const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
  return words.slice(0, -1);
}

function dockerignorePatterns(): string[] {
  return readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function ignored(path: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    if (pattern.startsWith('**/')) return path.endsWith(pattern.slice(4)) || path.includes(pattern.slice(3));
    return path === pattern || path.startsWith(`${pattern}/`);
  });
}

/** Repository sources (not node_modules) the entry imports, from esbuild's metafile. */
async function importedSources(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
}

describe.each(Object.entries(barrageImages))('%s Dockerfile', (_id, image) => {
  const text = readFileSync(join(root, image.dockerfile), 'utf8');
  const stages = parseDockerfile(text);
  const final = stages[stages.length - 1]!;
  const buildStages = stages.slice(0, -1);

  it('is multi-stage and the final stage takes only build output', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const copies = final.instructions.filter((instruction) => instruction.keyword === 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args).toMatch(/--from=\S+/);
    expect(final.instructions.some((instruction) => instruction.keyword === 'RUN')).toBe(false);
  });

  it('runs as a numeric non-root UID in 10000–10999', () => {
    const users = final.instructions.filter((instruction) => instruction.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const match = /^(\d+)(?::(\d+))?$/.exec(users[users.length - 1]!.args);
    expect(match, 'USER must be numeric (uid or uid:gid)').not.toBeNull();
    const uid = Number(match![1]);
    expect(uid).toBeGreaterThanOrEqual(10000);
    expect(uid).toBeLessThanOrEqual(10999);
  });

  it('copies only sources that exist and that .dockerignore does not exclude', () => {
    const patterns = dockerignorePatterns();
    const sources = buildStages.flatMap((stage) =>
      stage.instructions
        .filter((instruction) => instruction.keyword === 'COPY' && !/--from=/.test(instruction.args))
        .flatMap(copySources),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(root, source)), `${source} exists`).toBe(true);
      expect(ignored(source, patterns), `${source} is not excluded by .dockerignore`).toBe(false);
    }
  });

  it('bundles the entry workloads/images.ts maps the image to, and names the image', () => {
    const runs = buildStages.flatMap((stage) => stage.instructions.filter((item) => item.keyword === 'RUN'));
    const bundle = runs.find((run) => run.args.includes('esbuild'));
    expect(bundle?.args.split(/\s+/)).toContain(image.entry);
    expect(text).toContain(image.image);
    const cmd = final.instructions.find((instruction) => instruction.keyword === 'CMD');
    expect(cmd?.args).toBe('["/app/main.mjs"]');
    expect(bundle?.args).toContain('--outfile=/out/main.mjs');
  });

  it('bundles with the one banner the playground bundles with (workloads/bundle-banner.ts)', () => {
    const runs = buildStages.flatMap((stage) => stage.instructions.filter((item) => item.keyword === 'RUN'));
    const bundle = runs.find((run) => run.args.includes('esbuild'));
    expect(bundle?.args).toContain(`"--banner:js=${bundleBanner}"`);
  });

  it('applies patches/ after installing, as the root postinstall does (the bundle inlines patched modules)', () => {
    const runs = buildStages.flatMap((stage) => stage.instructions.filter((item) => item.keyword === 'RUN'));
    const install = runs.findIndex((run) => /\bnpm ci\b/.test(run.args));
    const bundle = runs.findIndex((run) => run.args.includes('esbuild'));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(runs[install]!.args).toMatch(/npm ci .*&& npx patch-package$/);
    expect(bundle).toBeGreaterThan(install);
    const copies = buildStages.flatMap((stage) =>
      stage.instructions.filter((item) => item.keyword === 'COPY'),
    );
    expect(copies.flatMap(copySources)).toContain('patches');
  });

  it('listens on 8080', () => {
    expect(final.instructions.some((item) => item.keyword === 'EXPOSE' && item.args === '8080')).toBe(true);
    expect(final.instructions.some((item) => item.keyword === 'ENV' && /\bPORT=8080\b/.test(item.args))).toBe(
      true,
    );
  });

  it('copies every repository source the entry imports into the build stage', async () => {
    const copied = buildStages.flatMap((stage) =>
      stage.instructions
        .filter((instruction) => instruction.keyword === 'COPY' && !/--from=/.test(instruction.args))
        .flatMap(copySources),
    );
    const sources = await importedSources(image.entry);
    expect(sources).toContain(image.entry);
    for (const source of sources) {
      const covered = copied.some((path) => source === path || source.startsWith(`${path}/`));
      expect(covered, `${source} is copied`).toBe(true);
    }
  });
});

describe('parseDockerfile', () => {
  it('joins continuations, drops comments and splits stages', () => {
    const stages = parseDockerfile('FROM a AS build\n# note\nRUN one \\\n  two\nFROM b\nUSER 10001:10001\n');
    expect(stages).toEqual([
      { from: 'a', name: 'build', instructions: [{ keyword: 'RUN', args: 'one two' }] },
      { from: 'b', name: undefined, instructions: [{ keyword: 'USER', args: '10001:10001' }] },
    ]);
  });
});
